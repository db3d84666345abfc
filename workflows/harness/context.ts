// What every phase of harnessWorkflow works with: the input, the state, the landing clone's host and
// the integration head, and a way to mirror the state to the run folder.
import type { HarnessInput } from '../../core/harness/types.js';
import type { HarnessState } from './state.js';

export interface HarnessContext {
  input: HarnessInput;
  state: HarnessState;
  /** Host queue of the worker holding the landing clone. */
  host: string;
  repoDir: string;
  /** Current integration head. */
  head: string;
  repoRef: { runId: string; repo: string; branch: string };
  /** Mirrors the state to memo and run folder (fire and forget). */
  record(): void;
}
