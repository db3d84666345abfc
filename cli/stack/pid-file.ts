// Pid files for processes dkmv started, so `dkmv down` ends exactly those and nothing else.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

export function writePid(file: string, pid: number): void {
  writeFileSync(file, `${pid}\n`);
}

export function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process's command line, to make sure a pid was not reused by something else. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The live pid from `file` whose command line contains `expect`, or undefined (stale files are removed). */
export function liveProcess(file: string, expect: string): number | undefined {
  const pid = readPid(file);
  if (pid === undefined) return undefined;
  if (isAlive(pid) && (commandLine(pid) === '' || commandLine(pid).includes(expect))) return pid;
  rmSync(file, { force: true });
  return undefined;
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 25_000): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
