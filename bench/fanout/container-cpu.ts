// CPU seconds used inside Docker containers (Claude Code, the shell and git it runs), read from each
// container's cgroup while it lives: cgroup v1 `cpuacct/docker/<id>/cpuacct.usage` (ns) or v2
// `system.slice/docker-<id>.scope/cpu.stat` (usage_usec). A container's last reading before it is
// removed is kept, so the runs' containers can be summed afterwards by id.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const V1 = '/sys/fs/cgroup/cpuacct/docker';
const V2 = '/sys/fs/cgroup/system.slice';

/** Container id → CPU seconds so far, for every running container. */
export function containerCpu(): Map<string, number> {
  const out = new Map<string, number>();
  if (existsSync(V1)) {
    for (const id of readdirSync(V1).filter((d) => /^[0-9a-f]{64}$/.test(d))) {
      const ns = read(`${V1}/${id}/cpuacct.usage`);
      if (ns !== undefined) out.set(id, Number(ns) / 1e9);
    }
  } else if (existsSync(V2)) {
    for (const dir of readdirSync(V2)) {
      const id = /^docker-([0-9a-f]{64})\.scope$/.exec(dir)?.[1];
      const usec = id ? /usage_usec (\d+)/.exec(read(`${V2}/${dir}/cpu.stat`) ?? '')?.[1] : undefined;
      if (id && usec) out.set(id, Number(usec) / 1e6);
    }
  }
  return out;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined; // the container went away between readdir and read
  }
}
