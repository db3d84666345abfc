// Property: a merge copies what nobody changed byte for byte. Seeded random collections (TypeScript
// objects, JSON, Python dicts; one-line or one member per line; nested one-line values written with
// their own spacing) get one edit per side, on two different members; in every clean result each
// untouched member appears exactly as written, each edited member as its side wrote it, and a one-line
// collection stays on one line. The generator is a seeded PRNG (mulberry32), so failures replay.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Format = 'ts' | 'json' | 'py';
type Member = { key: string; value: string };

class Gen {
  private counter = 0;
  constructor(
    readonly next: () => number,
    readonly format: Format,
  ) {}

  pick<T>(a: readonly T[]): T {
    return a[Math.floor(this.next() * a.length)] as T;
  }

  /** A value with layout of its own: `{ x: 1 }`, `{x: 1}`, `[1,2]`, `[ 1, 2 ]`, a string, a number. */
  value(): string {
    const n = ++this.counter;
    const key = (k: string) => (this.format === 'ts' ? k : `"${k}"`);
    const pad = this.pick(['', ' ']);
    const colon = this.pick([': ', ':']);
    switch (this.pick(['object', 'array', 'string', 'number'])) {
      case 'object':
        return `{${pad}${key(`x${n}`)}${colon}${n}, ${key(`y${n}`)}${colon}${n + 1}${pad}}`;
      case 'array':
        return `[${pad}${n},${this.pick(['', ' '])}${n + 1}${pad}]`;
      case 'string':
        return `"s${n}"`;
      default:
        return String(1000 + n);
    }
  }

  member(i: number): Member {
    return { key: `k${i}_${++this.counter}`, value: this.value() };
  }
}

function memberText(format: Format, m: Member): string {
  return format === 'ts' ? `${m.key}: ${m.value}` : `"${m.key}": ${m.value}`;
}

function render(format: Format, members: Member[], multiline: boolean): string {
  const items = members.map((m) => memberText(format, m));
  const body = multiline
    ? `{\n${items.map((i) => `  ${i}`).join(',\n')}${format === 'json' ? '' : ','}\n}`
    : `{ ${items.join(', ')} }`;
  if (format === 'json') return `${body}\n`;
  return format === 'ts' ? `export const config = ${body};\n` : `CONFIG = ${body}\n`;
}

type Edit = { at: number; op: 'change' | 'delete' | 'add'; member?: Member };

function applyEdit(members: Member[], edit: Edit): Member[] {
  const out = [...members];
  if (edit.op === 'delete') out.splice(edit.at, 1);
  else if (edit.op === 'change') out[edit.at] = { ...(out[edit.at] as Member), value: (edit.member as Member).value };
  else out.splice(edit.at + 1, 0, edit.member as Member);
  return out;
}

describe('text preservation (property)', () => {
  it('untouched members keep their bytes, edited ones their side’s bytes (900 seeded cases)', () => {
    const next = mulberry32(2025);
    let clean = 0;
    const failures: string[] = [];
    for (let n = 0; n < 900; n++) {
      const format = (['ts', 'json', 'py'] as const)[n % 3] as Format;
      const gen = new Gen(next, format);
      const base = Array.from({ length: 3 + Math.floor(next() * 4) }, (_, i) => gen.member(i));
      const multiline = next() < 0.5;
      const [i, j] = [0, 1].map(() => Math.floor(next() * base.length)) as [number, number];
      if (i === j) continue;
      const edit = (at: number): Edit => {
        const op = gen.pick(['change', 'delete', 'add'] as const);
        return { at, op, member: op === 'change' ? { key: '', value: gen.value() } : gen.member(9) };
      };
      const [eo, et] = [edit(i), edit(j)];
      const ours = applyEdit(base, eo);
      const theirs = applyEdit(base, et);
      const file = { ts: 'c.ts', json: 'c.json', py: 'c.py' }[format];
      const r = mergeFileSync({
        file,
        base: render(format, base, multiline),
        ours: render(format, ours, multiline),
        theirs: render(format, theirs, multiline),
      });
      if (!r.clean) continue;
      clean++;
      const expected = applyEdit(applyEdit(base, eo), { ...et, at: ours.indexOf(base[j] as Member) });
      const missing = expected.filter((m) => !r.text.includes(memberText(format, m)));
      const lines = r.text.trimEnd().split('\n').length;
      const wantLines = render(format, expected, multiline).trimEnd().split('\n').length;
      if (missing.length > 0 || lines !== wantLines) failures.push(`#${n} ${format}\n${r.text}`);
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(clean).toBeGreaterThan(500);
  });
});
