// File inputs read from outside the project (an absolute `src`) are allowed, as in DKMV, and named
// in a notice before the run starts.
import { describe, expect, it } from 'vitest';
import { emptyBundle } from '../../../core/component/files.js';
import { outsideSourceNotices, outsideSources } from '../../../core/component/outside-sources.js';

describe('outside sources', () => {
  const bundle = emptyBundle();
  bundle.sources['/etc/passwd'] = [];
  bundle.sources['/home/me/project/docs/prd.md'] = [];
  bundle.sources['docs/prd.md'] = [];

  it('lists only absolute sources outside the project (and the component folder)', () => {
    expect(outsideSources(bundle, '/home/me/project')).toEqual(['/etc/passwd']);
    expect(outsideSources(bundle, '/home/me/project', '/etc')).toEqual([]);
  });

  it('names each file in a notice', () => {
    const [notice, ...rest] = outsideSourceNotices(bundle, '/home/me/project');
    expect(rest).toEqual([]);
    expect(notice).toContain('/etc/passwd');
    expect(notice).toMatch(/outside the project/);
    expect(outsideSourceNotices(undefined, '/x')).toEqual([]);
  });
});
