// Test driver for the team cluster: runs docker-compose.yml under a project name of its own, on free
// ports, with a test override (the worker sees the test's temp folder at the same path, and a
// second worker drives a second Docker engine), and takes it down again with its volume.
import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DKMV_HOME } from '../../core/project.js';

const run = promisify(execFile);

export interface ClusterOptions {
  project: string;
  temporalPort: number;
  uiPort: number;
  /** Folder shared with the workers at the same path (throwaway repos, run folders, sandboxes). */
  sharedDir: string;
  /** Socket of a second Docker engine: adds `worker-b` (DKMV_HOST_ID=b) driving it. */
  secondEngineSocket?: string;
}

export class Cluster {
  private readonly overrideFile: string;

  constructor(readonly options: ClusterOptions) {
    this.overrideFile = path.join(options.sharedDir, 'compose.test.yml');
    writeFileSync(this.overrideFile, overrideYaml(options));
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.options.temporalPort}`;
  }

  env(): NodeJS.ProcessEnv {
    const { temporalPort, uiPort, sharedDir } = this.options;
    return {
      ...process.env,
      DKMV_TEMPORAL_PORT: String(temporalPort),
      DKMV_UI_PORT: String(uiPort),
      DKMV_HOST_ID: 'a',
      DKMV_SANDBOX_DIR: path.join(sharedDir, 'sandboxes'),
    };
  }

  /** `docker compose <args>` for this project; rejects with compose's stderr on failure. */
  async compose(...args: string[]): Promise<string> {
    const files = ['-f', path.join(DKMV_HOME, 'docker-compose.yml'), '-f', this.overrideFile];
    try {
      const { stdout } = await run('docker', ['compose', '-p', this.options.project, ...files, ...args], {
        env: this.env(),
        cwd: DKMV_HOME,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`docker compose ${args.join(' ')} failed: ${e.stderr || e.message}`);
    }
  }

  /** Starts every service; returns once the admin step has finished and the workers are started. */
  async up(): Promise<void> {
    await this.compose('up', '-d');
  }

  /** Stops and removes everything, the database volume included; the logs go to `<sharedDir>/compose.log`. */
  async down(): Promise<void> {
    const logs = spawnSync('docker', ['compose', '-p', this.options.project, 'logs', '--no-color'], {
      env: this.env(),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(path.join(this.options.sharedDir, 'compose.log'), `${logs.stdout ?? ''}${logs.stderr ?? ''}`);
    await this.compose('down', '-v', '--remove-orphans', '--timeout', '20');
  }
}

/** The test's additions: shared folder at the same path; worker hostnames name their Docker host. */
function overrideYaml({ sharedDir, secondEngineSocket }: ClusterOptions): string {
  const lines = [
    'services:',
    '  worker:',
    '    hostname: worker-a',
    '    volumes:',
    `      - ${sharedDir}:${sharedDir}`,
    // The worker reads component files at the CLI's paths: this checkout, read-only.
    `      - ${DKMV_HOME}:${DKMV_HOME}:ro`,
  ];
  if (secondEngineSocket) {
    lines.push(
      '  worker-b:',
      '    image: dkmv-worker:latest',
      '    pull_policy: never',
      '    hostname: worker-b',
      '    depends_on:',
      '      temporal-admin:',
      '        condition: service_completed_successfully',
      '    environment:',
      '      TEMPORAL_ADDRESS: temporal:7233',
      '      DKMV_HOST_ID: b',
      // Its run folders stay in its own container, like a worker on another machine.
      '      DKMV_WORKER_RUNS_DIR: /var/lib/dkmv/runs',
      `      DKMV_SANDBOX_DIR: ${path.join(sharedDir, 'sandboxes')}`,
      '    volumes:',
      `      - ${secondEngineSocket}:/var/run/docker.sock`,
      `      - ${sharedDir}:${sharedDir}`,
      `      - ${DKMV_HOME}:${DKMV_HOME}:ro`,
      '    restart: unless-stopped',
    );
  }
  return `${lines.join('\n')}\n`;
}
