// The `phases` var of the dev component: the phase files of an implementation docs folder, in
// phase order. for_each is expanded when a run is planned, so the caller lists them (`dkmv dev`
// from --impl-docs on the user's machine; tests from a fixture).
import { readdirSync } from 'node:fs';

const PHASE_FILE = /^phase(\d+)[_-].*\.md$|^phase(\d+)\.md$/i;

/** `phase<N>_<slug>.md` files of `dir`, sorted by N (then name). */
export function listPhaseFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => ({ name, m: PHASE_FILE.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .map((e) => ({ name: e.name, n: Number(e.m[1] ?? e.m[2]) }))
    .sort((a, b) => a.n - b.n || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => e.name);
}

/** The value to pass as `--var phases=...`. */
export function phasesVar(dir: string): string {
  return JSON.stringify(listPhaseFiles(dir));
}
