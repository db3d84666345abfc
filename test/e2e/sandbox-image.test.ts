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
});
