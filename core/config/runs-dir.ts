// Where run folders live: `<output_dir>/runs/<run_id>/`, as in DKMV, whose DKMV_OUTPUT_DIR (and
// `.dkmv/`) names the folder that *contains* `runs/`. dkmv once read DKMV_OUTPUT_DIR as the runs
// folder itself; such a folder (run folders directly inside, no `runs/`) is still used, with a
// notice saying how to move to DKMV's layout, so earlier history does not vanish.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A record file every run folder has (DKMV's and ours). */
const RUN_RECORDS = ['config.json', 'result.json', 'tasks_result.json'];

export interface RunsDir {
  dir: string;
  /** Set when the folder is in dkmv's old layout: one line for stderr. */
  notice?: string;
}

/** True when `dir` directly holds at least one run folder. */
function holdsRunFolders(dir: string): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some(
    (e) => e.isDirectory() && e.name !== 'runs' && RUN_RECORDS.some((f) => existsSync(path.join(dir, e.name, f))),
  );
}

/** The runs folder of an output folder: `<outputDir>/runs`, or `outputDir` itself in the old layout. */
export function resolveRunsDir(outputDir: string): RunsDir {
  const runs = path.join(outputDir, 'runs');
  if (existsSync(runs) || !holdsRunFolders(outputDir)) return { dir: runs };
  return {
    dir: outputDir,
    notice:
      `${outputDir} holds run folders directly (dkmv's old layout); DKMV_OUTPUT_DIR now names the folder that ` +
      `contains runs/, as in DKMV: move the run folders into ${runs}/`,
  };
}
