// Five test projects: unit (pure code, fakes allowed), workflow (real Temporal dev server),
// e2e (real server + Docker + git + the real agent CLIs against a scripted model), crash (the same
// real parts with faults injected: docs/reliability.md), cluster (the
// docker-compose.yml team deployment on two Docker engines).
//
// Two groups run one after the other. Unit and workflow files are CPU-bound: they run first, one
// per core (unit files without per-file isolation). The e2e, crash and cluster files mostly wait
// (on containers, the scripted model, the dev server), so they share one pool of DKMV_TEST_WORKERS
// (default 4) files at a time: every file has its own ports, temp folders, task queues and
// containers (docs/timings.md). Vitest starts the
// projects' files in name order (cluster, crash, e2e) and, once it has timings, the longest first.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

const CPU_BOUND = { groupOrder: 0 };
const WAIT_BOUND = { groupOrder: 1 };
const waitWorkers = Number(process.env.DKMV_TEST_WORKERS) || 4;
const cores = Math.max(1, os.availableParallelism());

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          // Unit files share their worker's module cache instead of re-importing everything per
          // file: 25 s and 34 CPU-s instead of 57 s and 97 (docs/timings.md). They keep no state
          // between files (checked by running them with the files shuffled).
          isolate: false,
          sequence: CPU_BOUND,
          maxWorkers: cores,
        },
      },
      {
        test: {
          name: 'workflow',
          include: ['test/workflow/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          sequence: CPU_BOUND,
          maxWorkers: cores,
        },
      },
      {
        test: {
          name: 'e2e',
          // test/badinput: the bad-input corpus (the compiled CLI against the shared dev server).
          include: ['test/e2e/**/*.test.ts', 'test/badinput/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          sequence: WAIT_BOUND,
          maxWorkers: waitWorkers,
        },
      },
      {
        test: {
          // The crash matrix (docs/reliability.md): e2e parts, faults injected on purpose.
          name: 'crash',
          include: ['test/crash/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
          maxConcurrency: 4,
          sequence: WAIT_BOUND,
          maxWorkers: waitWorkers,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          sequence: WAIT_BOUND,
          maxWorkers: waitWorkers,
        },
      },
    ],
  },
});
