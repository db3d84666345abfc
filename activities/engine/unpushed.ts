// A sandbox whose last commit could not be pushed keeps its workspace when the run ends (the
// container is removed), so the commit is not lost: the failure message names the folder and the
// command that pushes it. `dkmv clean` removes such folders like any other left-over sandbox.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MARKER = 'UNPUSHED';

export function keepUnpushed(sandboxRoot: string): void {
  writeFileSync(path.join(sandboxRoot, MARKER), 'the last commit of this workspace was not pushed\n');
}

export function hasUnpushed(sandboxRoot: string): boolean {
  return existsSync(path.join(sandboxRoot, MARKER));
}
