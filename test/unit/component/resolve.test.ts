import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import {
  listComponents,
  readRegistry,
  registerComponent,
  resolveComponent,
  unregisterComponent,
} from '../../../core/component/index.js';
import { tempDir, userError } from './helpers.js';

function setup() {
  const root = tempDir();
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write(path.join(home, 'components/plan/component.yaml'), 'name: plan\ndescription: PRD to docs\n');
  write(path.join(home, 'components/plan/01-a.yaml'), 'name: a\nprompt: p\n');
  write(path.join(home, 'components/examples/hello/01-a.yaml'), 'name: a\ndescription: Say hello\nprompt: p\n');
  write(path.join(project, '.dkmv/.keep'), '');
  write(path.join(project, 'my/audit/01-scan.yaml'), 'name: scan\ndescription: "Scan {{ x }}"\nprompt: p\n');
  write(path.join(project, 'empty/readme.md'), 'no yaml');
  return { root, home, project, opts: { projectRoot: project, home, cwd: project } };
}

describe('resolveComponent', () => {
  it('resolves paths, built-ins and examples by name', () => {
    const { home, project, opts } = setup();
    expect(resolveComponent('./my/audit', opts)).toEqual({
      name: 'audit',
      dir: path.join(project, 'my/audit'),
      source: 'path',
    });
    expect(resolveComponent('plan', opts)).toEqual({
      name: 'plan',
      dir: path.join(home, 'components/plan'),
      source: 'builtin',
    });
    expect(resolveComponent('hello', opts).source).toBe('example');
  });

  it('resolves registered names, which shadow built-ins only with --force', () => {
    const { project, opts } = setup();
    registerComponent('audit', './my/audit', opts);
    expect(readRegistry(project)).toEqual({ audit: 'my/audit' });
    expect(resolveComponent('audit', opts)).toMatchObject({
      source: 'registered',
      dir: path.join(project, 'my/audit'),
    });
    expect(userError(() => registerComponent('audit', './my/audit', opts)).hint).toMatch(/--force/);
    expect(userError(() => registerComponent('plan', './my/audit', opts)).message).toMatch(/built-in/);
    registerComponent('plan', './my/audit', { ...opts, force: true });
    expect(resolveComponent('plan', opts).source).toBe('registered');
  });

  it('explains unknown names, missing folders and folders without tasks', () => {
    const { opts } = setup();
    expect(userError(() => resolveComponent('helo', opts)).hint).toMatch(/did you mean "hello"/);
    expect(userError(() => resolveComponent('./nope', opts)).message).toMatch(/does not exist/);
    expect(userError(() => resolveComponent('./empty', opts)).message).toMatch(/not a component/);
    expect(userError(() => registerComponent('bad/name', './my/audit', opts)).message).toMatch(
      /not a valid component name/,
    );
    expect(userError(() => registerComponent('x', './empty', opts)).message).toMatch(/not a component/);
  });

  it('reports a registered path that went away and a broken registry file', () => {
    const { project, opts } = setup();
    writeFileSync(path.join(project, '.dkmv/components.json'), JSON.stringify({ gone: '/no/such/dir' }));
    expect(userError(() => resolveComponent('gone', opts)).hint).toMatch(/dkmv register gone/);
    expect(listComponents(opts).find((c) => c.name === 'gone')).toMatchObject({ ok: false });
    writeFileSync(path.join(project, '.dkmv/components.json'), '{ nope');
    expect(userError(() => resolveComponent('gone', opts)).message).toMatch(/not valid JSON/);
  });
});

describe('registry', () => {
  it('lists built-ins, examples and registered components with descriptions', () => {
    const { project, opts } = setup();
    registerComponent('audit', path.join(project, 'my/audit'), opts);
    const list = listComponents(opts);
    expect(list.map((c) => [c.name, c.source, c.description])).toEqual([
      ['plan', 'builtin', 'PRD to docs'],
      ['hello', 'example', 'Say hello'],
      ['audit', 'registered', 'Scan {{ x }}'],
    ]);
  });

  it('unregisters, and stores paths outside the project as absolute', () => {
    const { root, project, opts } = setup();
    mkdirSync(path.join(root, 'elsewhere'));
    writeFileSync(path.join(root, 'elsewhere/01-a.yaml'), 'name: a\nprompt: p\n');
    registerComponent('ext', path.join(root, 'elsewhere'), opts);
    expect(JSON.parse(readFileSync(path.join(project, '.dkmv/components.json'), 'utf8'))).toEqual({
      ext: path.join(root, 'elsewhere'),
    });
    unregisterComponent('ext', opts);
    expect(readRegistry(project)).toEqual({});
    expect(userError(() => unregisterComponent('ext', opts)).message).toMatch(/not registered/);
  });
});
