// Running commands in a sandbox container through dockerode's exec API.
import { PassThrough } from 'node:stream';
import type { ApplicationFailure } from '@temporalio/common';
import { sandboxLost } from '../../core/failures/index.js';
import { docker, isNotFound } from '../../core/sandbox/docker.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

function lost(containerId: string): ApplicationFailure {
  return sandboxLost(`the sandbox container ${containerId.slice(0, 12)} is gone`);
}

/** Runs a command to completion and returns its output. A missing container is `SandboxLost`. */
export async function execIn(
  containerId: string,
  cmd: string[],
  options: { env?: Record<string, string>; workdir?: string } = {},
): Promise<ExecResult> {
  const container = docker().getContainer(containerId);
  try {
    const exec = await container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(options.workdir ? { WorkingDir: options.workdir } : {}),
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    const err = new PassThrough();
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    out.on('data', (c: Buffer) => chunks.out.push(c));
    err.on('data', (c: Buffer) => chunks.err.push(c));
    docker().modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    const info = await exec.inspect();
    return {
      exitCode: info.ExitCode ?? -1,
      stdout: Buffer.concat(chunks.out).toString('utf8'),
      stderr: Buffer.concat(chunks.err).toString('utf8'),
    };
  } catch (err) {
    if (isNotFound(err) || /is not running|No such container/i.test(String(err))) throw lost(containerId);
    throw err;
  }
}

/** Starts a command detached (it outlives this process and the worker). */
export async function execDetached(
  containerId: string,
  cmd: string[],
  env: Record<string, string> = {},
): Promise<void> {
  const container = docker().getContainer(containerId);
  try {
    const exec = await container.exec({ Cmd: cmd, Env: Object.entries(env).map(([k, v]) => `${k}=${v}`) });
    await exec.start({ Detach: true });
  } catch (err) {
    if (isNotFound(err) || /is not running|No such container/i.test(String(err))) throw lost(containerId);
    throw err;
  }
}

export async function assertContainerRunning(containerId: string): Promise<void> {
  try {
    const info = await docker().getContainer(containerId).inspect();
    if (!info.State.Running) throw lost(containerId);
  } catch (err) {
    if (isNotFound(err)) throw lost(containerId);
    throw err;
  }
}
