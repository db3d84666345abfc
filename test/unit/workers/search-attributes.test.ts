// The worker's start-up check of dkmv's search attributes: registers missing ones where the server
// lets it, else refuses with the exact `temporal operator search-attribute create` commands.
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../core/errors.js';
import type { TemporalTarget } from '../../../core/temporal/connection-options.js';
import { ensureSearchAttributes, type SearchAttributeOperator } from '../../../workers/search-attributes.js';

const target = { address: '127.0.0.1:7233', namespace: 'team', taskQueue: 'dkmv' } as TemporalTarget;
const ALL = ['DkmvRunKind', 'DkmvComponent', 'DkmvBranch', 'DkmvRepo', 'DkmvStatus', 'DkmvCostUsd'];

function server(have: string[], allowAdd: boolean): SearchAttributeOperator & { added: Record<string, number>[] } {
  const attrs = new Set(have);
  const added: Record<string, number>[] = [];
  return {
    added,
    listSearchAttributes: async () => ({ customAttributes: Object.fromEntries([...attrs].map((n) => [n, 2])) }),
    addSearchAttributes: async (req) => {
      if (!allowAdd) throw new Error('7 PERMISSION_DENIED: Request unauthorized.');
      added.push(req.searchAttributes);
      for (const name of Object.keys(req.searchAttributes)) attrs.add(name);
    },
  };
}

describe('search attributes at worker start', () => {
  it('does nothing when the namespace has them all', async () => {
    const op = server(ALL, false);
    expect(await ensureSearchAttributes(op, target)).toEqual([]);
    expect(op.added).toEqual([]);
  });

  it('registers the missing ones with their types where the server allows it', async () => {
    const op = server(
      ALL.filter((n) => n !== 'DkmvRunKind' && n !== 'DkmvCostUsd'),
      true,
    );
    expect(await ensureSearchAttributes(op, target)).toEqual(['DkmvRunKind', 'DkmvCostUsd']);
    expect(op.added).toEqual([{ DkmvRunKind: 2, DkmvCostUsd: 4 }]); // KEYWORD, DOUBLE
  });

  it('refuses to start, naming the exact commands, where the server does not', async () => {
    const op = server(
      ALL.filter((n) => n !== 'DkmvRunKind'),
      false,
    );
    const err = await ensureSearchAttributes(op, target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/namespace "team" at 127\.0\.0\.1:7233 lacks .*DkmvRunKind/);
    expect((err as UserError).hint).toContain(
      'temporal operator search-attribute create --address 127.0.0.1:7233 --namespace team --name DkmvRunKind --type Keyword',
    );
  });
});
