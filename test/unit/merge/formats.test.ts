import { beforeAll, describe, expect, it } from 'vitest';
import { joinEntries } from '../../../core/merge/entries.js';
import { formatOf, initParsers, languageOf, mergeFileSync } from '../../../core/merge/index.js';
import { segmentFile } from '../../../core/merge/segment.js';
import { segmentYaml } from '../../../core/merge/yaml.js';

beforeAll(async () => {
  await initParsers();
});

const merge = (file: string, base: string, ours: string, theirs: string) => mergeFileSync({ file, base, ours, theirs });

const goSource = `package app

import (
\t"fmt"
)

// Config is read once.
type Config struct {
\tName string
}

func (c *Config) Show() {
\tfmt.Println(c.Name)
}

func Run() {
\tfmt.Println("run")
}
`;

const rustSource = `use std::fmt;

#[derive(Debug)]
pub struct Store {
    items: Vec<String>,
}

impl Store {
    pub fn len(&self) -> usize {
        self.items.len()
    }
}

impl fmt::Display for Store {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.items.len())
    }
}
`;

const javaSource = `package app;

import java.util.List;

public class Store {
    private List<String> items;

    public Store(List<String> items) {
        this.items = items;
    }

    public int size() {
        return items.size();
    }
}
`;

const cssSource = `/* theme */
:root {
  --accent: #09f;
}

.button,
.link {
  color: var(--accent);
}

@media (min-width: 40em) {
  .button {
    padding: 1em;
  }
}
`;

describe('round trips: segmenting and joining gives the file back byte for byte', () => {
  for (const [file, source] of [
    ['a.go', goSource],
    ['a.rs', rustSource],
    ['A.java', javaSource],
    ['a.css', cssSource],
  ] as const) {
    it(`${file}`, () => {
      const language = languageOf(file);
      expect(language).toBeDefined();
      const entries = segmentFile(source, language as NonNullable<typeof language>);
      expect(entries && joinEntries(entries)).toBe(source);
      expect(entries?.filter((e) => e.kind !== 'gap').length).toBeGreaterThan(1);
    });
  }

  it('a.yaml', () => {
    const yaml =
      '# ci\nname: ci\non:\n  push:\n    branches: [main]\n\njobs:\n  build:\n    steps:\n      - run: npm test\n';
    const entries = segmentYaml(yaml);
    expect(entries && joinEntries(entries)).toBe(yaml);
    expect(entries?.filter((e) => e.kind !== 'gap').map((e) => e.name)).toEqual(['name', 'on', 'jobs']);
  });

  it('JSON and YAML merges with nothing to combine hand back the changed side untouched', () => {
    const json = '{\n  // comment\n  "a": 1,\n}\n';
    expect(merge('x.jsonc', json, json.replace('1', '2'), json).text).toBe(json.replace('1', '2'));
    expect(merge('x.json', '{"a":1,"b":2}', '{"a":1,"b":2}', '{"a":1,"b":3}').text).toBe('{"a":1,"b":3}');
  });
});

describe('Go, Rust and Java merge by symbol', () => {
  it('Go: functions and imports both sides added', () => {
    const ours = goSource.replace('\t"fmt"\n', '\t"fmt"\n\t"os"\n') + '\nfunc A() {\n\tos.Exit(0)\n}\n';
    const theirs = goSource.replace('\t"fmt"\n', '\t"fmt"\n\t"strings"\n') + '\nfunc B() {\n\tstrings.ToLower("")\n}\n';
    const r = merge('a.go', goSource, ours, theirs);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(
      goSource.replace('\t"fmt"\n', '\t"fmt"\n\t"os"\n\t"strings"\n') +
        '\nfunc A() {\n\tos.Exit(0)\n}\n\nfunc B() {\n\tstrings.ToLower("")\n}\n',
    );
  });

  it('Go: the same method changed on both sides conflicts, named after its receiver', () => {
    const r = merge(
      'a.go',
      goSource,
      goSource.replace('c.Name)', 'c.Name, 1)'),
      goSource.replace('c.Name)', 'c.Name, 2)'),
    );
    expect(r.clean).toBe(false);
    expect(r.conflicts.map((c) => c.symbol)).toEqual(['(Config).Show']);
  });

  it('Rust: methods added to one impl on both sides', () => {
    const add = (name: string) =>
      rustSource.replace(
        '        self.items.len()\n    }\n}',
        `        self.items.len()\n    }\n\n    pub fn ${name}(&self) -> bool {\n        true\n    }\n}`,
      );
    const r = merge('a.rs', rustSource, add('a'), add('b'));
    expect(r.clean).toBe(true);
    expect(r.text).toContain('pub fn a(&self) -> bool {\n        true\n    }\n\n    pub fn b(&self)');
    expect(r.text).toContain('impl fmt::Display for Store');
  });

  it('Java: methods added on both sides, and a method changed differently conflicts', () => {
    const add = (name: string) =>
      javaSource.replace(
        '        return items.size();\n    }\n',
        `        return items.size();\n    }\n\n    public int ${name}() {\n        return 0;\n    }\n`,
      );
    const r = merge('A.java', javaSource, add('first'), add('second'));
    expect(r.clean).toBe(true);
    expect(r.text).toContain('public int first()');
    expect(r.text).toContain('public int second()');
    const c = merge(
      'A.java',
      javaSource,
      javaSource.replace('items.size()', 'items.size() + 1'),
      javaSource.replace('items.size()', 'items.size() - 1'),
    );
    expect(c.conflicts.map((x) => x.symbol)).toEqual(['Store.size']);
  });
});

describe('data files', () => {
  const pkg = (deps: string) => `{\n  "name": "web",\n  "dependencies": {\n${deps}\n  }\n}\n`;

  it('package.json: dependencies both sides added, formatting and order kept (ours first)', () => {
    const r = merge(
      'package.json',
      pkg('    "a": "1"'),
      pkg('    "a": "1",\n    "b": "2"'),
      pkg('    "a": "1",\n    "c": "3"'),
    );
    expect(r.clean).toBe(true);
    expect(r.text).toBe(pkg('    "a": "1",\n    "b": "2",\n    "c": "3"'));
  });

  it('package.json: one dependency bumped differently is a conflict naming its path', () => {
    const r = merge('package.json', pkg('    "a": "1"'), pkg('    "a": "2"'), pkg('    "a": "3"'));
    expect(r.clean).toBe(false);
    expect(r.conflicts.map((c) => c.symbol)).toEqual(['/dependencies/a']);
  });

  it('YAML: keys both sides added under one parent; one key changed differently conflicts', () => {
    const base = 'jobs:\n  build:\n    runs-on: linux\n';
    const r = merge('ci.yml', base, `${base}  lint:\n    runs-on: linux\n`, `${base}  test:\n    runs-on: mac\n`);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(`${base}  lint:\n    runs-on: linux\n  test:\n    runs-on: mac\n`);
    expect(merge('ci.yml', base, base.replace('linux', 'mac'), base.replace('linux', 'win')).clean).toBe(false);
  });

  it('YAML: a list both sides appended to conflicts (order is not knowable)', () => {
    const base = 'steps:\n  - a\n';
    expect(merge('ci.yml', base, `${base}  - b\n`, `${base}  - c\n`).clean).toBe(false);
  });

  it('CSS: rules keyed by selector', () => {
    const base = '.a {\n  color: red;\n}\n';
    const r = merge('s.css', base, `${base}\n.b {\n  margin: 0;\n}\n`, `${base}\n.c {\n  margin: 1px;\n}\n`);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(`${base}\n.b {\n  margin: 0;\n}\n\n.c {\n  margin: 1px;\n}\n`);
  });

  it('lockfiles are never merged as text: ours is kept and flagged for regeneration', () => {
    expect(formatOf('web/package-lock.json')).toBe('lockfile');
    const r = merge('package-lock.json', '{"a":1}\n', '{"a":2}\n', '{"a":3}\n');
    expect(r).toMatchObject({ clean: true, method: 'lockfile', regenerate: true, text: '{"a":2}\n' });
  });
});

describe('HTML by element id', () => {
  const page = (sections: string) =>
    `<!doctype html>\n<html>\n  <body>\n    <main>\n      <section id="intro">\n        <h1>Hi</h1>\n      </section>\n${sections}    </main>\n  </body>\n</html>\n`;
  const section = (id: string) => `      <section id="${id}">\n        <p>${id}</p>\n      </section>\n`;

  it('merges sections both sides added under one parent, ours first', () => {
    const r = merge('index.html', page(''), page(section('pricing')), page(section('faq')));
    expect(r.clean).toBe(true);
    expect(r.text).toBe(page(section('pricing') + section('faq')));
  });

  it('conflicts on one element changed differently, named by its place', () => {
    const r = merge('index.html', page(''), page('').replace('Hi', 'Hello'), page('').replace('Hi', 'Hey'));
    expect(r.clean).toBe(false);
    expect(r.conflicts.map((c) => c.symbol)).toEqual(['<html> <body> <main> #intro <h1>']);
  });

  it('conflicts when both add an element with the same id and different content', () => {
    const r = merge('index.html', page(''), page(section('x')), page(section('x').replace('<p>x', '<p>y')));
    expect(r.clean).toBe(false);
  });

  it('round trip: a fragment without <html> is cut and joined back byte for byte', () => {
    const fragment = '<nav id="top">\n  <a href="/">home</a>\n</nav>\n<div class="x">text</div>\n';
    const r = merge('part.html', fragment, fragment.replace('home', 'Home'), fragment);
    expect(r.text).toBe(fragment.replace('home', 'Home'));
    const both = merge(
      'part.html',
      fragment,
      `${fragment}<footer id="f">\n  f\n</footer>\n`,
      fragment.replace('home', 'Home'),
    );
    expect(both.text).toBe(`${fragment.replace('home', 'Home')}<footer id="f">\n  f\n</footer>\n`);
  });
});
