// A run whose workflow task keeps failing (BadSearchAttributes on a server without dkmv's search
// attributes) says why, instead of "waiting for the run to start" forever.
import type { WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../cli/run/progress.js';
import type { RunObservation } from '../../../cli/run/observe.js';
import { lastWorkflowTaskFailure, workflowTaskRetrying } from '../../../cli/run/workflow-task-failure.js';

const BAD = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES;

function handleWith(events: temporal.api.history.v1.IHistoryEvent[]): WorkflowHandle {
  return { fetchHistory: async () => ({ events }) } as unknown as WorkflowHandle;
}

describe('a run that cannot start', () => {
  it('reads the last workflow task failure from the history', async () => {
    const handle = handleWith([
      { workflowTaskStartedEventAttributes: {} },
      {
        workflowTaskFailedEventAttributes: {
          cause: BAD,
          failure: { message: 'search attribute DkmvStatus is not defined\nmore' },
        },
      },
    ]);
    expect(await lastWorkflowTaskFailure(handle)).toBe(
      'BAD_SEARCH_ATTRIBUTES: search attribute DkmvStatus is not defined',
    );
    expect(await lastWorkflowTaskFailure(handleWith([]))).toBeUndefined();
  });

  it('tells a retried workflow task from a first one', () => {
    const desc = (attempt: number) =>
      ({ raw: { pendingWorkflowTask: { attempt } } }) as unknown as WorkflowExecutionDescription;
    expect(workflowTaskRetrying(desc(3))).toBe(true);
    expect(workflowTaskRetrying(desc(1))).toBe(false);
  });

  it('shows the failure and what to do in the progress line', () => {
    const obs = {
      temporalStatus: 'RUNNING',
      stuck: 'BAD_SEARCH_ATTRIBUTES: search attribute DkmvStatus is not defined',
    };
    const line = stripVTControlCharacters(summarize(obs as unknown as RunObservation));
    expect(line).toContain('search attribute DkmvStatus is not defined');
    expect(line).toContain('temporal operator search-attribute create');
    expect(line).not.toContain('waiting for the run to start');
  });
});
