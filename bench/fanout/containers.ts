// Removes the sandbox containers of bench:fanout's runs, whatever happened to them: every dkmv
// container whose `dkmv.run_id` label starts with one of the bench's harness run ids (the children's
// run ids are `<harness run id>--plan--a1`, `<harness run id>--gen--WU-01--r1a1`, …).
import { spawnSync } from 'node:child_process';

export function removeContainers(runIds: readonly string[]): number {
  if (!runIds.length) return 0;
  const listed = spawnSync(
    'docker',
    ['ps', '-a', '--filter', 'label=dkmv=1', '--format', '{{.ID}}\t{{.Label "dkmv.run_id"}}'],
    { encoding: 'utf8' },
  );
  const ids = (listed.stdout ?? '')
    .split('\n')
    .map((l) => l.split('\t'))
    .filter(([id, run]) => id && run && runIds.some((r) => run === r || run.startsWith(`${r}--`)))
    .map(([id]) => id!);
  if (ids.length) spawnSync('docker', ['rm', '-f', '-v', ...ids], { stdio: 'ignore' });
  return ids.length;
}
