// TEST HOOKS for the crash matrix (test/crash/): deterministic places to stop a worker so a test can
// SIGKILL it at a named step. Inert unless the worker process was started with
// DKMV_TEST_HOOK_PAUSE_AT set; production workers never set it.
//
//   DKMV_TEST_HOOK_PAUSE_AT=<step>[,<step>…]  steps: an activity name (createSandbox, prepareTask,
//                                            runAgentTask, checkOutputs, commitTask, writeRunRecord),
//                                            writeRunRecord.final (the run's last record write) or an
//                                            inner point (push: after the commit, before the push;
//                                            smoke.sandbox: the smoke test's container is up, nothing probed yet)
//   DKMV_TEST_HOOK_DIR=<dir>                 where `<step>.reached` is written when a step is reached
//
// At a step the activity writes its marker and then waits forever (until the process is killed).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

function steps(): string[] {
  return (process.env.DKMV_TEST_HOOK_PAUSE_AT ?? '').split(',').filter(Boolean);
}

/** True when this worker process runs with test hooks (so createWorker installs the interceptor). */
export function testHooksEnabled(): boolean {
  return steps().length > 0;
}

/** TEST HOOK: stops here forever when `step` is one the test asked for; a no-op otherwise. */
export async function testPausePoint(step: string): Promise<void> {
  if (!steps().includes(step)) return;
  const dir = process.env.DKMV_TEST_HOOK_DIR;
  if (dir) writeFileSync(path.join(dir, `${step}.reached`), `${process.pid}\n`);
  await new Promise(() => undefined);
}

/** TEST HOOK: pauses before the named activities run (installed only when testHooksEnabled()). */
export const testPauseInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      await testPausePoint(ctx.info.activityType);
      // the run's last record write (`writeRunRecord.final`), as distinct from its progress writes
      const [args] = input.args as [{ final?: boolean } | undefined];
      if (ctx.info.activityType === 'writeRunRecord' && args?.final) await testPausePoint('writeRunRecord.final');
      return next(input);
    },
  },
});
