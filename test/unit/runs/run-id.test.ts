import { describe, it, expect } from 'vitest';
import { isRunId, makeRunId, parseRunId, slugify } from '../../../core/runs/run-id.js';

const now = new Date(Date.UTC(2026, 10, 21, 9, 5, 59));

describe('run ids', () => {
  it('builds <YYMMDD-HHMM>-<component>-<feature>-<4hex> in UTC', () => {
    expect(makeRunId('dev', 'auth', now, 'ab12')).toBe('261121-0905-dev-auth-ab12');
    expect(makeRunId('Security Audit!', 'Feature/Auth_v2', now, () => 'FFFF')).toBe(
      '261121-0905-security-audit-feature-auth-v2-ffff',
    );
    expect(makeRunId('qa', '', now, '0000')).toBe('261121-0905-qa-0000');
    expect(makeRunId('dev', 'x', now)).toMatch(/^261121-0905-dev-x-[0-9a-f]{4}$/);
    expect(() => makeRunId('dev', 'x', now, 'xyz')).toThrow(/4 hex/);
  });

  it('slugifies to [a-z0-9-] with a length cap', () => {
    expect(slugify('  Héllo  Wörld  ')).toBe('hello-world');
    expect(slugify('---')).toBe('');
    expect(slugify('a'.repeat(100))).toHaveLength(40);
    expect(slugify('ab-'.repeat(30))).not.toMatch(/-$/);
  });

  it('parses ids back', () => {
    const id = makeRunId('security-audit', 'login-page', now, 'beef');
    expect(parseRunId(id, 'security-audit')).toMatchObject({
      stamp: '261121-0905',
      component: 'security-audit',
      feature: 'login-page',
      suffix: 'beef',
      startedAt: new Date(Date.UTC(2026, 10, 21, 9, 5)),
    });
    expect(parseRunId(id)).toMatchObject({ middle: 'security-audit-login-page' });
    expect(parseRunId(id)?.component).toBeUndefined();
    expect(parseRunId('261121-0905-qa-0000')).toMatchObject({ component: 'qa' });
    expect(isRunId(id)).toBe(true);
    expect(isRunId('261321-0905-qa-0000')).toBe(false);
    expect(isRunId('hello')).toBe(false);
    expect(isRunId('261121-0905-qa-zzzz')).toBe(false);
  });
});
