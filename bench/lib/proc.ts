// Shared by the benches: CPU time of a process, from /proc (Linux).
import { readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ ticks, 100 per second on every mainstream kernel. */
export const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far; NaN when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / USER_HZ;
  } catch {
    return NaN;
  }
}
