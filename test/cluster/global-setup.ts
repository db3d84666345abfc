// Vitest global setup for the cluster project: the Docker engine answers, `docker compose` exists and
// the cluster's images are built (images/temporal/build-images.sh: seconds when nothing changed, one
// line per image). `npm test` installs these first (scripts/setup --cluster); plain setup does not.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DKMV_HOME } from '../../core/project.js';

export default function setup(): void {
  if (spawnSync('docker', ['info'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('the Docker engine does not answer: run `npm run setup` (or `npm test`, which runs it)');
  }
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('`docker compose` is missing: run `npm run setup -- --cluster` (or `npm test`), which installs it');
  }
  const build = spawnSync('bash', [path.join(DKMV_HOME, 'images/temporal/build-images.sh')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building the cluster images failed (the log and its last lines are above)');
}
