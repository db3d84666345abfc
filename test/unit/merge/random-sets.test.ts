// Seeded random edits to one object literal / dict on both sides, judged by the three-way rule on keys:
// every clean merge must hold exactly the keys and values the rule gives. A conflict is never wrong,
// but the merge must not get there by conflicting on everything: most cases have to merge cleanly.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

type Obj = [string, number][];

function random(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)] as T;
  return { next, pick };
}

function render(o: Obj, multiline: boolean, python: boolean): string {
  const items = o.map(([k, v]) => (python ? `"${k}": ${v}` : `${k}: ${v}`));
  const [head, end] = python ? ['CONFIG = ', '\n'] : ['export const config = ', ';\n'];
  if (!multiline) return `${head}{ ${items.join(', ')} }${end}`;
  return `${head}{\n${items.map((i) => `    ${i},\n`).join('')}}${end}`;
}

describe('random edits to one collection on both sides', () => {
  it('never merge wrongly (600 seeded cases, TypeScript and Python, with layout changes)', () => {
    const { next, pick } = random(7);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    let wrong = 0;
    let clean = 0;
    for (let i = 0; i < 600; i++) {
      const python = next() < 0.5;
      const base: Obj = keys.slice(0, 1 + Math.floor(next() * 4)).map((k, j) => [k, j]);
      const edit = (o: Obj): Obj => {
        const r = o.map((x) => [...x] as [string, number]);
        for (let j = 0; j < 1 + Math.floor(next() * 2); j++) {
          const op = pick(['add', 'del', 'mod']);
          const k = pick(keys);
          if (op === 'add' && !r.some((x) => x[0] === k))
            r.splice(Math.floor(next() * (r.length + 1)), 0, [k, 100 + Math.floor(next() * 3)]);
          if (op === 'del' && r.length > 1) r.splice(Math.floor(next() * r.length), 1);
          if (op === 'mod' && r.length > 0) pick(r)[1] = 200 + Math.floor(next() * 3);
        }
        return r;
      };
      const [ours, theirs] = [edit(base), edit(base)];
      const lb = next() < 0.5;
      const [lo, lt] = [next() < 0.2 ? !lb : lb, next() < 0.2 ? !lb : lb];
      const [B, O, T] = [new Map(base), new Map(ours), new Map(theirs)];
      let conflict = lo !== lb && lt !== lb && lo !== lt;
      const want = new Map<string, number>();
      for (const k of new Set([...B.keys(), ...O.keys(), ...T.keys()])) {
        const [b, o, t] = [B.get(k), O.get(k), T.get(k)];
        const value = o === t || b === t ? o : b === o ? t : null;
        if (value === null) conflict = true;
        else if (value !== undefined) want.set(k, value);
      }
      const r = mergeFileSync({
        file: python ? 'c.py' : 'c.ts',
        base: render(base, lb, python),
        ours: render(ours, lo, python),
        theirs: render(theirs, lt, python),
      });
      if (!r.clean) continue;
      clean++;
      const got = new Map([...r.text.matchAll(/"?(\w)"?: (\d+)/g)].map((m) => [m[1] as string, Number(m[2])]));
      const right = !conflict && got.size === want.size && [...want].every(([k, v]) => got.get(k) === v);
      if (!right) wrong++;
    }
    expect(wrong).toBe(0);
    // The merge is not vacuous: most cases are merged cleanly.
    expect(clean).toBeGreaterThan(400);
  });
});
