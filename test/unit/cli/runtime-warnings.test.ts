// No Node runtime warning (MaxListenersExceededWarning, DEP0123, ...) reaches a user's terminal:
// the CLI's entry point drops them, and DKMV_DEBUG=1 shows them; the follower's long polls do not
// pile abort listeners onto one signal.
import { spawnSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { HistoryWatch } from '../../../cli/run/history-watch.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

function emitThroughCli(env: NodeJS.ProcessEnv): string {
  const script = [
    `const m = await import(${JSON.stringify(path.join(ROOT, 'cli', 'runtime-warnings.ts'))});`,
    'm.keepRuntimeWarningsFromUsers();',
    "process.emitWarning('TLS ServerName to an IP address', 'DeprecationWarning', 'DEP0123');",
    "process.emitWarning('11 abort listeners added', 'MaxListenersExceededWarning');",
  ].join('\n');
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
  return `${res.stdout}${res.stderr}`;
}

describe('runtime warnings', () => {
  it('keeps them out of what a user sees', () => {
    const env = { ...process.env };
    delete env.DKMV_DEBUG;
    expect(emitThroughCli(env)).toBe('');
  });

  it('shows them with DKMV_DEBUG=1', () => {
    const out = emitThroughCli({ ...process.env, DKMV_DEBUG: '1' });
    expect(out).toContain('DeprecationWarning: TLS ServerName');
    expect(out).toContain('MaxListenersExceededWarning');
  });

  it('long polls of a run history leave no abort listener behind on the follower signal', async () => {
    const detach = new AbortController();
    let calls = 0;
    const client = {
      options: { namespace: 'default' },
      withAbortSignal: (signal: AbortSignal, fn: () => Promise<unknown>) => {
        signal.addEventListener('abort', () => undefined); // as the client does, per call
        return fn();
      },
      workflowService: {
        getWorkflowExecutionHistory: async () => ({
          nextPageToken: new Uint8Array([++calls]),
          history: { events: [{}] },
        }),
      },
    } as unknown as Client;
    const watch = new HistoryWatch(client, 'run-1', detach.signal);
    for (let i = 0; i < 25; i++) await watch.next();
    expect(calls).toBe(25);
    expect(getEventListeners(detach.signal, 'abort')).toHaveLength(0);
  });
});
