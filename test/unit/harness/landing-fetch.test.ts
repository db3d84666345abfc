// The landing clone is fetched by several landing activities at once when generators end together:
// the fetches must not race for the same remote refs ("cannot lock ref … but expected …").
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureClone, fetchUnitBranch } from '../../../activities/harness/landing-repo.js';
import { makeBareRepo } from '../../support/e2e.js';
import { gitIn, useLandingRoot } from '../../support/landing-root.js';

const git = gitIn;
const landingRoot = useLandingRoot('landing');

describe('landing clone fetches', () => {
  it('eight unit branches fetched at once all arrive, none fails on a ref lock', async () => {
    const root = landingRoot();
    const bare = makeBareRepo(root);
    const work = path.join(root, 'seed'); // the clone makeBareRepo pushed from
    const base = git(work, 'rev-parse', 'HEAD').trim();
    const ref = { runId: 'run-1', repo: bare, branch: 'main' };
    await ensureClone(bare, 'main', ref.runId);
    const units = Array.from({ length: 8 }, (_, i) => `main--wu-0${i + 1}-r1a1`);
    // Rounds of: every unit branch moves on the remote, then all are fetched at once (as landing
    // does when generators end together); each round every fetch updates the same 8 refs.
    for (let round = 1; round <= 4; round++) {
      for (const [i, unit] of units.entries()) {
        git(work, 'checkout', '-q', '-B', unit, round === 1 ? base : `origin/${unit}`);
        writeFileSync(path.join(work, `unit-${i}.js`), `export const u${i} = ${round};\n`);
        git(work, 'add', '.');
        git(work, 'commit', '-qm', `${unit} round ${round}`);
        git(work, 'push', '-q', 'origin', `HEAD:refs/heads/${unit}`);
      }
      const states = await Promise.all(units.map((unitBranch) => fetchUnitBranch({ ...ref, unitBranch, base })));
      expect(states.map((s) => s.filesChanged)).toEqual(units.map((_, i) => [`unit-${i}.js`]));
      expect(states.map((s) => s.head)).toEqual(units.map((u) => git(bare, 'rev-parse', u).trim()));
    }
  });
});
