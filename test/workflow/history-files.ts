// History fixtures as JSON. Uses protobufjs' own object mapping (longs and enums as strings, bytes
// as base64) of @temporalio/proto's History type rather than proto-utils' historyToJSON: in this
// install @temporalio/common carries a second copy of protobufjs, and its protojson rejects the
// types of @temporalio/proto ("type must be a Type").
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;
type IHistory = temporal.api.history.v1.IHistory;

export const HISTORIES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

/** The checkout's absolute path, as it appears in recorded stack traces and worker identities; not committed. */
const CHECKOUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..') + path.sep;
/** Where node_modules really is (a worktree may link it from another checkout); not committed either. */
const MODULES = realpathSync(path.join(CHECKOUT, 'node_modules')) + path.sep;

export function historyToFileJson(history: IHistory): string {
  const object = History.toObject(History.create(history), { longs: String, enums: String, bytes: String });
  const text = JSON.stringify(object, null, 2).split(MODULES).join('./node_modules/');
  // A worker's identity names the checkout without a trailing separator: `… v0.1.0 (/path)`.
  return `${text.split(CHECKOUT).join('./').split(CHECKOUT.slice(0, -1)).join('.')}\n`;
}

export function historyFromFileJson(text: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(text) as Record<string, unknown>);
}

/** Every committed history: name (file stem) and the decoded history. */
export function committedHistories(): { name: string; history: temporal.api.history.v1.History }[] {
  return readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      history: historyFromFileJson(readFileSync(path.join(HISTORIES_DIR, f), 'utf8')),
    }));
}
