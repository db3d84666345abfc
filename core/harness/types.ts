// Shapes shared by harnessWorkflow, its activities and the CLI. Plain JSON (they travel through
// workflow history): branch names, SHAs and small summaries, never logs or secrets.
import type { AgentName, ExecutionParams } from '../component/schema.js';
import type { HarnessPlan } from './plan-schema.js';
import type { RunLedger } from '../ledger/accounting.js';
import type { NotifyRecord, NotifyTargets } from '../notify/types.js';
import type { ReviewSettings } from './review-gate.js';

/** Per-role execution settings (a profile, then flags); unset values come from the role component. */
export interface RoleSettings {
  agent?: AgentName;
  model?: string;
  maxTurns?: number;
  timeoutMinutes?: number;
  /** This role's dollar limit per child (the run cap still bounds it). */
  maxBudgetUsd?: number;
}

export const ROLES = ['planner', 'generator'] as const;
export type HarnessRole = (typeof ROLES)[number];
/** Roles of the quality loop (SMOKE → EVAL → FIX); they run in the browser image. */
export const QUALITY_ROLES = ['evaluator', 'fixer'] as const;
export type QualityRole = (typeof QUALITY_ROLES)[number];

/** The quality loop's settings; absent = build and land only (runs started before part 2). */
export interface QualitySettings {
  /** Image with Chromium for the smoke test, evaluators and fixers. */
  browserImage: string;
  roles: Record<QualityRole, RoleSettings>;
  roleDirs: Record<QualityRole, string>;
  /** The branch a pull request targets. */
  baseBranch: string;
  maxRounds?: number;
  maxReplans?: number;
}

/** What the CLI passes to harnessWorkflow. */
export interface HarnessInput {
  runId: string;
  prompt: string;
  repo: string;
  /** The integration branch: the built result lands here. */
  branch: string;
  image: string;
  memory: string;
  modelUrl?: string;
  /** Absolute run folder on the machine that started the run; children get sub-folders. */
  runDir: string;
  /** Project root the role components are planned against (file inputs, registry). */
  projectRoot: string;
  /** Dollar cap for the whole child tree. */
  maxBudgetUsd?: number;
  /** The project's daily ceiling: the harness asks the budget ledger for a grant for its whole tree. */
  ledger?: RunLedger;
  /** Generators running at once (sliding window). */
  maxParallel: number;
  /** Pause after Gate 1 for a human decision (decide signal/update). */
  reviewPlan: boolean;
  roles: Record<HarnessRole, RoleSettings>;
  /** Config-level and default execution parameters (env, .env, config.json; built-ins). */
  layers: { config: ExecutionParams; default: ExecutionParams };
  /** Role component folders (absolute); the built-ins under components/harness/ by default. */
  roleDirs: Record<HarnessRole, string>;
  /** Optional documents given to the planner (their text, ≤100 KB each). */
  designMd?: string;
  prd?: string;
  maxPlanAttempts?: number;
  maxUnitAttempts?: number;
  heartbeatTimeoutSeconds?: number;
  /** `dkmv harness continue`: the accepted plan and the units that already landed. */
  resume?: { fromRunId: string; plan: HarnessPlan; landed: string[] };
  quality?: QualitySettings;
  /** Webhooks told when the build pauses for its plan review or ends. */
  notify?: NotifyTargets;
  /** The REVIEW gate (a reviewer child per built unit); absent = no review (`--no-review`, older runs). */
  review?: ReviewSettings;
}

/** `unverified`: the smoke test still failed after the last round; the branch is kept, no PR. */
export type HarnessStatus = 'running' | 'awaiting_input' | 'completed' | 'unverified' | 'failed' | 'cancelled';
export type HarnessPhase =
  'plan' | 'review' | 'build' | 'land' | 'check' | 'smoke' | 'eval' | 'fix' | 'replan' | 'ship' | 'done';

/** One CHECK run: the plan's check commands on the integration head (the report is in the run folder under check/). */
export interface CheckRecord {
  round: number;
  passed: boolean;
  summary: string | null;
  reportPath: string;
  /** The commands run, each with its exit code (null = not run after an earlier failure). */
  commands: { command: string; exitCode: number | null }[];
}

/** One SMOKE run (the report itself is in the run folder under smoke/). */
export interface SmokeRecord {
  round: number;
  passed: boolean;
  summary: string | null;
  reportPath: string;
  screenshotPath: string | null;
}

/** One role child as it ended: its real run status and what it spent (from the child's result). */
export interface ChildRecord {
  childId: string;
  /** completed | failed | timed_out | cancelled (the child's run status), or `not_started`. */
  childStatus: string;
  costUsd: number;
  turns: number;
  error?: string;
}

/** One evaluator batch of a round, after Gate 4. */
export interface EvalRecord {
  round: number;
  batchId: string;
  units: string[];
  /** Gate 4 attempts (2 = re-run with the complaints). */
  attempts: number;
  gate: 'valid' | 'settled';
  verdict: 'PASS' | 'RETRY' | 'REPLAN';
  passed: number;
  total: number;
  screenshots: string[];
  complaints: string[];
  /** One evaluator child per Gate 4 attempt (absent in runs recorded before it was kept). */
  children?: ChildRecord[];
}

/** One fixer child: a unit's (or `integration`'s) measured failures, fixed on the landed head. */
export interface FixRecord {
  round: number;
  unit: string;
  childId: string;
  branch: string;
  cause: 'smoke' | 'eval' | 'check';
  /** The integration head the fixer started from (a later fixer of the unit carries its work). */
  base?: string;
  childStatus: string;
  costUsd: number;
  landed: boolean;
  /** The merge commit that landed the fix (absent when nothing landed or it was already there). */
  commit?: string;
  /** Why the fix did not land (or the child did not finish). */
  detail?: string;
}

/** What the quality loop did and how it ended. */
export interface QualityView {
  /** CHECK runs (absent in runs started before the check gate). */
  checks?: CheckRecord[];
  smoke: SmokeRecord[];
  evals: EvalRecord[];
  fixes: FixRecord[];
  /** Rounds since the last (re)plan; `round` of the view mirrors it. */
  replanCount: number;
  outcome?: 'passed' | 'with_issues' | 'unverified';
  remainingIssues?: string[];
  pullRequest?: { url: string; number: number } | null;
  compareUrl?: string | null;
}

export type UnitStatus = 'pending' | 'building' | 'built' | 'landed' | 'empty' | 'retry' | 'blocked' | 'not_dispatched';

/** How one landing went (mergeBranches' result, reduced). */
export interface LandRecord {
  status: 'merged' | 'up-to-date' | 'conflict' | 'skipped_violation' | 'unparsable';
  commit?: string;
  /** Files git conflicted on that the structural merge resolved. */
  resolved: { file: string; symbols: string[] }[];
  conflicts: { file: string; symbols: string[] }[];
  unparsable: string[];
}

/** One generator attempt of a unit. */
export interface AttemptRecord {
  round: number;
  attempt: number;
  childId: string;
  branch: string;
  /** The integration head the attempt was built on (a retry carries this attempt's work from it). */
  base?: string;
  /** How the attempt's branch started from the previous attempt's commits (absent: fresh). */
  carried?: 'kept' | 'merged' | 'conflicted';
  /** completed | failed | timed_out | cancelled (the child's run status), or `not_started`. */
  childStatus: string;
  costUsd: number;
  turns: number;
  error?: string;
  empty?: boolean;
  violations?: string[];
  land?: LandRecord;
  /** A review-fix attempt (built on the reviewed attempt with the review's findings); not counted towards blocking. */
  reviewFix?: boolean;
}

/** One REVIEW of a unit's built attempt (the reviewer's file is in the run folder under review/). */
export interface ReviewRecord {
  /** The generator attempt reviewed (the reviewer's marker carries it). */
  round: number;
  attempt: number;
  childId: string;
  childStatus: string;
  costUsd: number;
  /** Recomputed by the gate (the minimum of the dimensions); null = no valid review.json. */
  score: number | null;
  minScore: number;
  passed: boolean;
  /** Findings the gate accepted, and the problems it found with the file. */
  findings: number;
  problems: string[];
  /** The findings went to a review-fix generator attempt. */
  fixRequested: boolean;
  reviewPath?: string;
}

export interface UnitView {
  id: string;
  title: string;
  status: UnitStatus;
  attempts: AttemptRecord[];
  /** REVIEW results, in order (absent without the review gate). */
  reviews?: ReviewRecord[];
  costUsd: number;
  /** Why the unit is re-dispatched or blocked (fed to the next attempt's prompt). */
  feedback?: string;
}

export interface PlanAttemptRecord {
  attempt: number;
  childId: string;
  childStatus: string;
  costUsd: number;
  accepted: boolean;
  problems: string[];
}

/** Answer of the harness `status` query. */
export interface HarnessView {
  runId: string;
  kind: 'harness';
  prompt: string;
  repo: string;
  branch: string;
  status: HarnessStatus;
  phase: HarnessPhase;
  round: number;
  costUsd: number;
  maxBudgetUsd?: number;
  budgetExhausted: boolean;
  startedAt: string;
  endedAt?: string;
  planAttempts: PlanAttemptRecord[];
  /** Unit ids and titles of the accepted plan; set after Gate 1. */
  units: UnitView[];
  baseSha?: string;
  integrationHead?: string;
  /** The --review-plan pause: what a decision answers. */
  pending?: { taskId: string; questions: { id: string; question: string; options?: string[]; default?: string }[] };
  lastDecisionError?: string;
  error?: string;
  /** Continued from this run (dkmv harness continue). */
  continuedFrom?: string;
  /** The quality loop (SMOKE, EVAL, FIX, REPLAN); absent for runs without it. */
  quality?: QualityView;
  /** `harness`, and the plan attempts and units as task rows: what `dkmv show` and `approve` read. */
  component?: string;
  tasks?: { id: string; name: string; status: string; costUsd: number; turns: number; error?: string }[];
  /** How each webhook notification went (builds with notify targets only). */
  notifications?: NotifyRecord[];
  /** Lockfiles regenerated from the merged manifests before SHIP (absent: none were due or changed). */
  lockfiles?: LockfilesRecord;
}

export interface LockfilesRecord {
  /** Committed to the integration branch. */
  files: string[];
  /** The commit that carries them. */
  commit?: string;
  /** Why they were not regenerated (the install failed). */
  problem?: string;
}
