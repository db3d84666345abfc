// The browser image as the evaluator and fixer use it: Debian's Chromium at /usr/bin/chromium,
// playwright-core importable from any folder (require and import), and playwright-cli driving that
// Chromium headless, writing the screenshot where asked and nothing else into the workspace.
import Docker from 'dockerode';
import getPort from 'get-port';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BROWSER_IMAGE } from '../../core/sandbox/browser-image-name.js';

// DKMV_BROWSER_IMAGE tries another tag (a new build before it becomes :latest).
const IMAGE = process.env.DKMV_BROWSER_IMAGE ?? DEFAULT_BROWSER_IMAGE;

async function runInImage(script: string): Promise<{ exitCode: number; output: string }> {
  const container = await new Docker().createContainer({
    Image: IMAGE,
    Cmd: ['bash', '-c', script.replace(/^\s+/gm, '')], // dedented, so the heredoc's EOF is found
    Tty: true, // plain output, no stream headers
    Labels: { 'dkmv.test': 'browser-image' },
    HostConfig: { NetworkMode: 'host' },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: logs.toString('utf8').replace(/\r/g, '') };
  } finally {
    await container.remove({ force: true });
  }
}

describe('browser image', () => {
  it('serves Chromium to playwright-core (require and import, from any folder) and to playwright-cli', async () => {
    const port = await getPort({ host: '127.0.0.1' });
    const { exitCode, output } = await runInImage(`
      set -e
      mkdir -p /tmp/site && echo '<h1>hello from the page</h1>' > /tmp/site/index.html
      (cd /tmp/site && python3 -m http.server ${port} --bind 127.0.0.1 >/dev/null 2>&1 &)
      sleep 1
      readlink -f /usr/bin/chromium
      cd /tmp && cat > probe.mjs <<'EOF'
      import { chromium } from 'playwright-core';
      const { createRequire } = await import('node:module');
      const viaRequire = createRequire('/opt/x.cjs')('playwright-core').chromium === chromium;
      const b = await chromium.launch({ executablePath: process.env.DKMV_CHROMIUM, args: process.env.DKMV_CHROMIUM_ARGS.split(' ') });
      const p = await b.newPage();
      await p.goto(process.argv[2]);
      console.log('esm+require: ' + viaRequire + ' h1: ' + (await p.textContent('h1')) + ' version: ' + b.version());
      await b.close();
      EOF
      node probe.mjs http://127.0.0.1:${port}/
      echo "node $(node --version)"
      cd /home/dkmv/workspace && mkdir -p .agent/eval
      playwright-cli open http://127.0.0.1:${port}/ >/dev/null
      playwright-cli screenshot --filename .agent/eval/s1.png >/dev/null
      playwright-cli close >/dev/null
      ls -A /home/dkmv/workspace
      stat -c 'png bytes: %s' .agent/eval/s1.png
      head -c 8 .agent/eval/s1.png | od -An -tx1
    `);
    if (exitCode !== 0) console.error(output);
    expect(exitCode).toBe(0);
    expect(output).toMatch(/esm\+require: true h1: hello from the page version: 150\./);
    // The sandbox's Node (>= 22 LTS), which the apps under test and the probes run on.
    expect(Number(/node v(\d+)\./.exec(output)?.[1])).toBeGreaterThanOrEqual(22);
    expect(output).toMatch(/png bytes: [1-9]\d{3,}/);
    expect(output).toContain(' 89 50 4e 47 0d 0a 1a 0a'); // the PNG signature
    // Only what we asked for lands in the workspace (no .playwright-cli snapshots to be committed).
    expect(output).toMatch(/^\.agent$/m);
    expect(output).not.toMatch(/\.playwright-cli/);
  });
});
