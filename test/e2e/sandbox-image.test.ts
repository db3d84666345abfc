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

  it('runs Node >= 22 with npm, and ES modules get import.meta.dirname', async () => {
    // Node 18 (Debian bookworm's) crashed on import.meta.dirname; Claude Code declares node >= 22.
    // npm installs offline from local folders, and node-gyp compiles a native addon against Node's
    // headers in the image (no download from nodejs.org).
    const script = String.raw`
      set -e
      cd /home/dkmv/.tmp && mkdir -p app/lib dep
      echo "node $(node --version)"
      echo "npm $(npm --version)"
      echo 'export const where = import.meta.dirname;' > app/lib/where.mjs
      echo 'import { where } from "./lib/where.mjs"; console.log("dirname " + where + " " + import.meta.filename);' > app/main.mjs
      node app/main.mjs
      echo '{"name": "dep", "version": "1.0.0", "main": "i.js"}' > dep/package.json
      echo 'module.exports = 42;' > dep/i.js
      mkdir -p addon && echo '{"name": "addon", "version": "1.0.0", "main": "build/Release/a.node"}' > addon/package.json
      echo '{"targets": [{"target_name": "a", "sources": ["a.c"]}]}' > addon/binding.gyp
      printf '%s\n' '#include <node_api.h>' \
        'static napi_value Init(napi_env env, napi_value exports) { napi_value v; napi_create_int32(env, 7, &v); return v; }' \
        'NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)' > addon/a.c
      cd app && echo '{"name": "app", "version": "1.0.0"}' > package.json
      npm install --offline --no-audit --no-fund ../dep ../addon >/dev/null 2>npm.err || { cat npm.err; exit 1; }
      node -e 'console.log("required " + require("dep") + " addon " + require("addon"))'
      echo "npm warnings: $(npm --version 2>&1 >/dev/null | grep -c warn || true)"
    `;
    const { exitCode, output } = await runInImage(['bash', '-c', script.replace(/^\s+/gm, '')]);
    expect(exitCode, output).toBe(0);
    const major = Number(/node v(\d+)\.\d+\.\d+/.exec(output)?.[1]);
    expect(major).toBeGreaterThanOrEqual(22);
    expect(output).toMatch(/npm \d+\.\d+\.\d+/);
    expect(output).toContain('dirname /home/dkmv/.tmp/app/lib /home/dkmv/.tmp/app/main.mjs');
    expect(output).toContain('required 42 addon 7');
    expect(output).toContain('npm warnings: 0'); // no unknown-config noise in every npm command
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
