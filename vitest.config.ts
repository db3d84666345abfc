// Five test projects: unit (pure code, fakes allowed), workflow (real Temporal dev server),
// e2e (real server + Docker + git + the real agent CLIs against a scripted model), crash (the same
// real parts with faults injected: docs/reliability.md), cluster (the
// docker-compose.yml team deployment on two Docker engines).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'workflow',
          include: ['test/workflow/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
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
          fileParallelism: false,
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
          fileParallelism: false,
          maxConcurrency: 4,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/cluster/global-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
