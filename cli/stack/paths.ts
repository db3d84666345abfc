// Files of the embedded local stack, all under `.dkmv/stack/` of the project.
import path from 'node:path';
import { dkmvDir } from '../../core/project.js';

export interface StackPaths {
  dir: string;
  serverPid: string;
  serverLog: string;
  serverDb: string;
  workerPid: string;
  workerLog: string;
}

export function stackPaths(projectRoot?: string): StackPaths {
  const dir = path.join(dkmvDir(projectRoot), 'stack');
  return {
    dir,
    serverPid: path.join(dir, 'temporal.pid'),
    serverLog: path.join(dir, 'temporal.log'),
    serverDb: path.join(dir, 'temporal.db'),
    workerPid: path.join(dir, 'worker.pid'),
    workerLog: path.join(dir, 'worker.log'),
  };
}
