// The unit the merge works on: a file (or a class body) cut into entries at line boundaries.
// Joining the entries' texts gives the original text back byte for byte, so a file nobody changed
// comes out exactly as it went in.

export type EntryKind = 'symbol' | 'import' | 'gap';

export interface Entry {
  /** Unique within its list: `symbol:name`, `import:module`, `gap@<key of the next entry>`. */
  key: string;
  kind: EntryKind;
  /** What a person calls it in a conflict report: `parse`, `Parser.next`, `import ./x`. */
  name: string;
  /** Exact source text, including the blank lines and comments that lead into it. */
  text: string;
  /** Where `text` starts in its file (the tree merge finds the entry's syntax nodes by it). */
  start: number;
  /** Classes and interfaces whose members can be merged one by one. */
  container?: Container;
  /** Imports whose named specifiers can be merged as a set. */
  specifiers?: SpecifierList;
  /** Text rewritten by the move rule (moves.ts): no syntax tree of any side matches it any more. */
  moved?: boolean;
}

/** text === header + members' texts + footer */
export interface Container {
  header: string;
  members: Entry[];
  footer: string;
}

/** text === prefix + items joined by their separators + suffix */
export interface SpecifierList {
  prefix: string;
  items: string[];
  /** The separator written between items (taken from the source when it has two or more). */
  separator: string;
  suffix: string;
}

export function joinEntries(entries: readonly Entry[]): string {
  return entries.map((e) => e.text).join('');
}
