// removeTree: a whole folder tree goes (nested folders, read-only files, a dangling link), a missing
// one is no error, and what it cannot remove fails with the path named.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTree } from '../../../activities/process/remove-tree.js';

describe('removeTree', () => {
  it('removes nested folders, read-only files and dangling links; a missing folder is fine', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dkmv-unit-rmtree-'));
    const deep = path.join(root, 'ws', 'node_modules', 'a', 'b');
    mkdirSync(deep, { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(path.join(deep, `f${i}.js`), 'x');
    writeFileSync(path.join(root, 'ws', 'ro.txt'), 'r');
    chmodSync(path.join(root, 'ws', 'ro.txt'), 0o444);
    symlinkSync(path.join(root, 'nowhere'), path.join(root, 'ws', 'link'));
    await removeTree(root);
    expect(existsSync(root)).toBe(false);
    await expect(removeTree(root)).resolves.toBeUndefined();
  });

  it('names what it could not remove', async () => {
    // A file the kernel serves cannot be deleted by anyone, root included.
    const procFile = path.join('/proc', String(process.pid), 'status');
    await expect(removeTree(procFile)).rejects.toThrow(`could not remove ${procFile}: rm: cannot remove`);
    expect(existsSync(procFile)).toBe(true);
  });
});
