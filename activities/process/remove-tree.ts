// Removes a folder tree (a sandbox with its clone and node_modules, a landing clone, a gate's
// checkout) with `rm -rf` from the launcher. Node's own recursive removal runs on the worker's
// thread (rmSync blocks it; the promise version walks the tree in JavaScript): a tree of tens of
// thousands of files held up the heartbeats of every activity in the worker for seconds.
import { runProcess } from './launcher.js';

export async function removeTree(dir: string): Promise<void> {
  const r = await runProcess('rm', ['-rf', '--', dir]);
  if (r.code !== 0)
    throw new Error(`could not remove ${dir}: ${r.stderr.toString('utf8').trim() || `rm exited ${r.code}`}`);
}
