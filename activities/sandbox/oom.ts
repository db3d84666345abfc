// Telling "the agent ran out of memory" apart from other kills: a process killed with SIGKILL (exit
// 137) in a container whose memory cgroup counted an OOM kill. The message names the limit and the
// flag to raise, instead of the bare "Killed" the agent's shell would print.
import { docker } from '../../core/sandbox/docker.js';
import { execIn } from './exec.js';

/** `oom_kill N` (cgroup v1 memory.oom_control, cgroup v2 memory.events) read inside the container. */
const OOM_COUNT = 'cat /sys/fs/cgroup/memory.events /sys/fs/cgroup/memory/memory.oom_control 2>/dev/null || true';

function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1024 ** 3, 'g'],
    [1024 ** 2, 'm'],
    [1024, 'k'],
  ];
  for (const [size, unit] of units) if (bytes >= size) return `${+(bytes / size).toFixed(1)}${unit}`;
  return `${bytes}b`;
}

/** The error for an out-of-memory kill, or undefined when the exit was not one. */
export async function outOfMemoryError(containerId: string, exitCode: number | null): Promise<string | undefined> {
  if (exitCode !== 137) return undefined;
  try {
    const counts = await execIn(containerId, ['sh', '-c', OOM_COUNT]);
    const kills = [...counts.stdout.matchAll(/oom_kill\s+(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    if (kills === 0) return undefined;
    const info = await docker().getContainer(containerId).inspect();
    const limit = info.HostConfig?.Memory ? formatBytes(info.HostConfig.Memory) : 'unknown';
    return `the container ran out of memory (limit ${limit}); raise --memory (e.g. --memory 8g) or DKMV_MEMORY`;
  } catch {
    return undefined; // the container is gone or cannot tell: keep the agent's own error
  }
}
