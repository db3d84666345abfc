// The process launcher: processes started by its helper (not by this process), their output, exit,
// stdin, environment, timeouts, group kills, start errors, and the helper dying or idling.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcessStartError, runProcess, startProcess } from '../../../activities/process/launcher.js';
import { DKMV_HOME } from '../../../core/project.js';

const sh = (script: string, options = {}) => runProcess('sh', ['-c', script], options);
/** Running (a zombie nobody reaped yet counts as ended). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('runProcess', () => {
  it('returns exit code, stdout and stderr as bytes, in the given folder and environment', async () => {
    const r = await sh('printf "out\\0x\\n"; echo err >&2; pwd; echo "$ONLY"; exit 3', {
      cwd: '/tmp',
      env: { PATH: process.env.PATH, ONLY: 'given' },
    });
    expect(r.code).toBe(3);
    expect(r.signal).toBeNull();
    expect([...r.stdout.subarray(0, 5)]).toEqual([111, 117, 116, 0, 120]);
    expect(r.stdout.toString().split('\n').slice(1, 3)).toEqual(['/tmp', 'given']);
    expect(r.stderr.toString()).toBe('err\n');
  });

  it('starts processes from its helper, not from this process', async () => {
    const r = await sh('echo $PPID');
    const parent = Number(r.stdout.toString());
    expect(parent).toBeGreaterThan(0);
    expect(parent).not.toBe(process.pid);
    // The helper is this process's child.
    const ps = spawnSync('ps', ['-o', 'ppid=', '-p', String(parent)], { encoding: 'utf8' });
    expect(Number(ps.stdout.trim())).toBe(process.pid);
  });

  it('writes the input to stdin and closes it; without input stdin is closed at once', async () => {
    expect((await runProcess('cat', [], { input: 'hello\n' })).stdout.toString()).toBe('hello\n');
    expect((await runProcess('cat', [])).stdout.toString()).toBe('');
  });

  it('runs many processes at once, each with its own output', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sh(`sleep 0.0$((${i} % 5)); echo ${i}`)));
    expect(results.map((r) => r.stdout.toString().trim())).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('rejects with the system error code when the command or the folder does not exist', async () => {
    const missing = runProcess('dkmv-no-such-command', []);
    await expect(missing).rejects.toBeInstanceOf(ProcessStartError);
    await expect(missing).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(runProcess('true', [], { cwd: '/dkmv-no-such-folder' })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills a process that runs past its timeout', async () => {
    const r = await runProcess('sleep', ['30'], { timeoutMs: 200 });
    expect(r).toMatchObject({ killedBy: 'timeout', signal: 'SIGKILL', code: null });
  });

  it('kills a process silent for too long, but not one that keeps printing', async () => {
    const talking = await sh('for i in 1 2 3 4 5 6; do echo $i; sleep 0.1; done', { silenceMs: 400 });
    expect(talking.killedBy).toBeUndefined();
    expect(talking.stdout.toString().split('\n').filter(Boolean)).toHaveLength(6);
    const silent = await runProcess('sleep', ['30'], { silenceMs: 200 });
    expect(silent).toMatchObject({ killedBy: 'silence', signal: 'SIGKILL' });
  });

  it('with group, a kill also ends the processes it started', async () => {
    let grandchild = 0;
    const r = await sh('sleep 30 & echo $!; wait', {
      group: true,
      timeoutMs: 300,
      onOutput: (_stream: string, chunk: Buffer) => (grandchild = Number(chunk.toString())),
    });
    expect(r.killedBy).toBe('timeout');
    expect(grandchild).toBeGreaterThan(0);
    await expect.poll(() => alive(grandchild)).toBe(false);
  });

  it('kill() sends a signal (SIGTERM by default)', async () => {
    const running = startProcess('sleep', ['30']);
    setTimeout(() => running.kill(), 100);
    expect(await running.done).toMatchObject({ signal: 'SIGTERM', code: null });
  });

  it('when the helper dies, waiting processes fail and the next call starts a new helper', async () => {
    const helper = Number((await sh('echo $PPID')).stdout.toString());
    const waiting = runProcess('sleep', ['30']);
    process.kill(helper, 'SIGKILL');
    await expect(waiting).rejects.toThrow(/launcher exited/);
    const next = Number((await sh('echo $PPID')).stdout.toString());
    expect(next).not.toBe(helper);
  });

  it('an idle helper does not keep its process alive', () => {
    const tsx = path.join(DKMV_HOME, 'node_modules/.bin/tsx');
    const script = `import { runProcess } from '${path.join(DKMV_HOME, 'activities/process/launcher.ts')}';
      runProcess('echo', ['ran']).then((r) => process.stdout.write(r.stdout));`;
    const res = spawnSync(tsx, ['--eval', script], { encoding: 'utf8', timeout: 30_000 });
    expect(res.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(res.status).toBe(0);
    expect(res.stdout).toBe('ran\n');
  });
});
