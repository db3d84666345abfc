// Smoke: the sandbox image runs both agent CLIs as its non-root user.
import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';

const image = process.env.DKMV_IMAGE ?? 'dkmv-sandbox:latest';

async function runInImage(cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const docker = new Docker();
  const container = await docker.createContainer({
    Image: image,
    Cmd: cmd,
    Labels: { 'dkmv.test': 'sandbox-image' },
    HostConfig: { NetworkMode: 'host', AutoRemove: false },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: logs.toString('utf8') };
  } finally {
    await container.remove({ force: true });
  }
}

describe('sandbox image', () => {
  it('runs claude --version and codex --version as the non-root user', async () => {
    const { exitCode, output } = await runInImage(['bash', '-c', 'id -un; id -u; claude --version; codex --version']);
    expect(exitCode).toBe(0);
    expect(output).toContain('dkmv');
    expect(output).not.toMatch(/^0$/m);
    expect(output).toContain('2.1.330 (Claude Code)');
    expect(output).toContain('codex-cli 0.169.0');
  });

  it('has git, node, python3, ripgrep, jq and curl', async () => {
    const { exitCode, output } = await runInImage([
      'bash',
      '-c',
      'for t in git node python3 rg jq curl; do command -v $t; done',
    ]);
    expect(exitCode).toBe(0);
    expect(output.trim().split('\n')).toHaveLength(6);
  });

  it("has what real projects need, as DKMV's image does: gh, pip, venv and a C toolchain", async () => {
    // A venv is created and used as the non-root user, and a C file compiles and runs.
    const { exitCode, output } = await runInImage([
      'bash',
      '-c',
      [
        'set -e',
        'gh --version | head -1',
        'python3 -m pip --version',
        'python3 -m venv /home/dkmv/.tmp/venv && /home/dkmv/.tmp/venv/bin/python -c "import sys; print(sys.prefix)"',
        'printf "#include <stdio.h>\\nint main(void){puts(\\"cc ok\\");return 0;}\\n" > /home/dkmv/.tmp/t.c',
        'cc -o /home/dkmv/.tmp/t /home/dkmv/.tmp/t.c && /home/dkmv/.tmp/t',
        'make --version | head -1',
      ].join('\n'),
    ]);
    expect(exitCode, output).toBe(0);
    // (the log stream is multiplexed: each line starts with a small binary header, so no ^ anchors)
    expect(output).toMatch(/gh version \d+\.\d+/);
    expect(output).toMatch(/pip \d+\.\d+.* from /);
    expect(output).toContain('/home/dkmv/.tmp/venv');
    expect(output).toContain('cc ok');
    expect(output).toMatch(/GNU Make \d/);
  });
});
