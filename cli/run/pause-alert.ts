// A followed run paused for a decision: ring the terminal bell and, where a desktop notifier
// (`notify-send`) is on PATH, pop a notification. `dkmv run --quiet` turns both off.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface AlertDeps {
  env: NodeJS.ProcessEnv;
  /** Where the bell goes (stderr); rung only when it is a terminal. */
  terminal: { isTTY?: boolean; write(text: string): unknown };
  run: (file: string, args: string[]) => void;
}

/** An executable `name` on PATH, or undefined. */
export function onPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

function detached(file: string, args: string[]): void {
  try {
    const child = spawn(file, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // a desktop notification is a nicety; never a failure
  }
}

const defaults = (): AlertDeps => ({ env: process.env, terminal: process.stderr, run: detached });

export function alertPause(runId: string, questions: { question: string }[], deps: AlertDeps = defaults()): void {
  if (deps.terminal.isTTY) deps.terminal.write('\x07');
  const notifySend = onPath('notify-send', deps.env);
  if (!notifySend) return;
  const body = questions.map((q) => q.question).join('\n') || 'The run is waiting for your decision.';
  deps.run(notifySend, ['--app-name=dkmv', `dkmv: ${runId} is waiting for you`, `${body}\n\ndkmv approve ${runId}`]);
}
