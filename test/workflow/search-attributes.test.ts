// On a real dev server: a namespace set up without dkmv's search attributes (as any cluster set up
// before one was added) gets them from the worker's start-up check, so runs do not hang there.
import { randomUUID } from 'node:crypto';
import { msToTs } from '@temporalio/common/lib/time.js';
import { NativeConnection } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import type { TemporalTarget } from '../../core/temporal/connection-options.js';
import { ensureSearchAttributes, missingSearchAttributes } from '../../workers/search-attributes.js';

describe('search attributes at worker start (real server)', () => {
  it('registers all six on a namespace that has none', async () => {
    const address = inject('temporalAddress');
    const namespace = `dkmv-sa-${randomUUID().slice(0, 8)}`;
    const connection = await NativeConnection.connect({ address });
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      const op = connection.operatorService;
      expect(await missingSearchAttributes(op, namespace)).toHaveLength(6);
      const target = { address, namespace, taskQueue: 'dkmv' } as TemporalTarget;
      expect(await ensureSearchAttributes(op, target)).toHaveLength(6);
      expect(await missingSearchAttributes(op, namespace)).toEqual([]);
      expect(await ensureSearchAttributes(op, target)).toEqual([]); // idempotent
    } finally {
      await connection.close();
    }
  }, 60_000);
});
