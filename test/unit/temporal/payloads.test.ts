// Wire payloads: each written and read through one helper pair, so both sides agree on the fields,
// and a payload from another version (or garbage) reads back safely.
import { describe, expect, it } from 'vitest';
import {
  readHeartbeatCursor,
  readLostWork,
  readRunMemo,
  RUN_MEMO_KEY,
  writeHeartbeatCursor,
  writeLostWork,
  writeRunMemo,
} from '../../../core/temporal/payloads.js';
import { SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTES } from '../../../core/temporal/search-attributes.js';

const roundTrip = <T>(value: T): unknown => JSON.parse(JSON.stringify(value));

describe('wire payloads', () => {
  it('heartbeat cursor: what is written is what is read', () => {
    const cursor = { task: 'a', copied: 120, turns: 3, costUsd: 0.04, last: 'Bash ls' };
    expect(readHeartbeatCursor(roundTrip(writeHeartbeatCursor(cursor)))).toEqual(cursor);
    expect(readHeartbeatCursor(undefined)).toBeUndefined();
    expect(readHeartbeatCursor({ copied: 'x', turns: null })).toEqual({ task: '', copied: 0, turns: 0, costUsd: 0 });
  });

  it('lost work: turns and cost, or nothing when nothing was spent', () => {
    expect(readLostWork(roundTrip(writeLostWork({ turns: 2, costUsd: 0.5 })))).toEqual({ turns: 2, costUsd: 0.5 });
    expect(readLostWork({ turns: 0, costUsd: 0 })).toBeUndefined();
    expect(readLostWork('garbage')).toBeUndefined();
  });

  it('run memo: the summary under its key, read back from a workflow description', () => {
    const memo = writeRunMemo({
      status: 'failed',
      costUsd: 1.5,
      error: 'task b: boom',
      tasks: [{ id: 'a', name: 'a', status: 'completed', costUsd: 1.5, turns: 4 }],
    });
    expect(Object.keys(memo)).toEqual([RUN_MEMO_KEY]);
    expect(readRunMemo(roundTrip(memo) as Record<string, unknown>)).toEqual({
      status: 'failed',
      costUsd: 1.5,
      error: 'task b: boom',
      tasks: [{ id: 'a', name: 'a', status: 'completed', costUsd: 1.5, turns: 4 }],
    });
    expect(readRunMemo({})).toBeUndefined();
  });

  it('the registered search attributes are derived from the key constants', () => {
    expect(Object.keys(SEARCH_ATTRIBUTES)).toEqual(SEARCH_ATTRIBUTE_KEYS.map((k) => k.name));
    expect(SEARCH_ATTRIBUTES).toMatchObject({ DkmvRunKind: 'Keyword', DkmvCostUsd: 'Double' });
  });
});
