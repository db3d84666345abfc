// A conflict always carries markers: the result type allows no other kind of conflict text.
import { beforeAll, describe, expect, it } from 'vitest';
import { initParsers, mergeFileSync } from '../../../core/merge/index.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });
const hasMarkers = (text: string) => /^<{7} /m.test(text) && /^={7}$/m.test(text) && /^>{7} /m.test(text);

describe('conflicts carry markers', () => {
  it('a JSON value both sides changed on one line that git would merge as text', () => {
    // Git's line merge of these is clean (the lines are apart), but the value at /a conflicts.
    const base = '{\n  "a": {\n    "x": 1\n  },\n  "pad": 0\n}\n';
    const ours = '{\n  "a": 2,\n  "pad": 0\n}\n';
    const theirs = '{\n  "a": {\n    "x": 1\n  },\n  "pad": 0,\n  "z": 1\n}\n'.replace('"x": 1', '"x": 3');
    const r = merge('cfg.json', base, ours, theirs);
    expect(r.kind).toBe('conflict');
    expect(hasMarkers(r.text)).toBe(true);
  });

  it('an HTML page whose merge fails its id check', () => {
    const page = (body: string) => `<html>\n  <body>\n${body}  </body>\n</html>\n`;
    const r = merge(
      'p.html',
      page('    <p id="a">a</p>\n'),
      page('    <p id="a">a</p>\n    <p id="b">b</p>\n'),
      page('    <p id="a">a</p>\n    <div id="b">c</div>\n'),
    );
    expect(r.clean).toBe(false);
    if (!r.clean) expect(hasMarkers(r.text)).toBe(true);
  });

  it('every conflict of a random set of edits has markers', () => {
    const lines = ['{', '  "a": 1,', '  "b": [1, 2],', '  "c": {"d": true}', '}'];
    for (let i = 1; i < 4; i++) {
      for (let j = 1; j < 4; j++) {
        const ours = lines.map((l, k) => (k === i ? l.replace(/\d/, '7') : l)).join('\n');
        const theirs = lines.map((l, k) => (k === j ? l.replace(/\d/, '8') : l)).join('\n');
        const r = merge('x.json', lines.join('\n'), ours, theirs);
        if (r.kind === 'conflict') expect(hasMarkers(r.text)).toBe(true);
      }
    }
  });
});
