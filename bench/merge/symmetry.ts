// Symmetry: merging with ours and theirs swapped must give the same answer, up to which side's
// additions come first at one spot (the documented tie rule) and which side a conflict marker names.
// Both clean: the same tokens (as a multiset, so a tie placed the other way round still counts as the
// same, while a lost, doubled or changed element does not); both conflicts: the same; one clean and
// the other not: asymmetric.
import type { Case } from './scenarios.js';
import type { Tool } from './tools.js';

export interface SymmetryReport {
  checked: number;
  asymmetric: string[];
}

const tokens = (text: string) => (text.match(/\w+|[^\w\s]/g) ?? []).sort().join(' ');

export function symmetry(tool: Tool, cases: Case[]): SymmetryReport {
  const asymmetric: string[] = [];
  for (const c of cases) {
    const straight = tool.run(c);
    const swapped = tool.run({ ...c, ours: c.theirs, theirs: c.ours });
    const same =
      straight.clean === swapped.clean && (!straight.clean || tokens(straight.text) === tokens(swapped.text));
    if (!same) asymmetric.push(c.id);
  }
  return { checked: cases.length, asymmetric };
}
