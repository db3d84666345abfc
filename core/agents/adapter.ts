// What an agent adapter builds for one task run, and the interface both adapters implement.
import type { Credentials } from './credentials.js';
import type { AgentName } from './events.js';
import type { InstructionLayers } from './instructions.js';
import type { StreamParser, StreamParserOptions } from './stream-parser.js';

/** Resolved execution parameters of one task (after CLI flags > task YAML > config precedence). */
export interface AgentTaskParams {
  /** The task prompt. Ignored for the command line when `promptFile` is set. */
  prompt: string;
  /** Container path of a file holding the prompt, fed on stdin (no argument size limit). */
  promptFile?: string;
  model?: string;
  maxTurns?: number;
  maxBudgetUsd?: number;
  /** Continue this agent session (Claude session id / Codex thread id). */
  resumeSessionId?: string;
  /** Model endpoint override (`--model-url` / `DKMV_MODEL_URL`): a gateway, a proxy or the mock model. */
  modelUrl?: string;
}

/** Where things live inside the sandbox container. */
export interface ContainerLayout {
  /** HOME of the agent user, e.g. /home/dkmv. */
  home: string;
  /** The workspace (the agent's working directory), e.g. /home/dkmv/workspace. */
  workspace: string;
}

export const DEFAULT_LAYOUT: ContainerLayout = { home: '/home/dkmv', workspace: '/home/dkmv/workspace' };

export interface FileToWrite {
  /** Absolute container path. */
  path: string;
  content: string;
  mode?: number;
}

export interface Mount {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

export interface AgentInvocation {
  /** Program and arguments, run in `layout.workspace`. */
  argv: string[];
  /** File to connect to stdin (`/dev/null` unless the prompt comes from a file). */
  stdin: string;
  /** Environment to add. HOLDS SECRETS: pass to the container exec, never persist or log it. */
  env: Record<string, string>;
  /** Config files to write before starting (Codex config.toml for a model URL). */
  files: FileToWrite[];
  /** Credential files to bind-mount read-only when the container is created. */
  mounts: Mount[];
  /** Secret values in `env`/mounts, for `redact`. */
  secrets: string[];
}

export interface AgentAdapter {
  readonly name: AgentName;
  /** Workspace-relative path of the instructions file the CLI reads. */
  readonly instructionsFile: string;
  readonly defaultModel: string;
  /** The command line from resolved parameters (no secrets). */
  command(params: AgentTaskParams): string[];
  /** Environment: offline switches for a model URL, plus credentials (secrets!). */
  env(params: AgentTaskParams, creds: Credentials, layout?: ContainerLayout): Record<string, string>;
  /** Config files the CLI needs (no secrets). */
  configFiles(params: AgentTaskParams, layout?: ContainerLayout): FileToWrite[];
  /** Credential files to mount read-only. */
  mounts(params: AgentTaskParams, creds: Credentials, layout?: ContainerLayout): Mount[];
  /** Everything above in one value. */
  invocation(params: AgentTaskParams, creds: Credentials, layout?: ContainerLayout): AgentInvocation;
  /** Content of the layered instructions file. */
  instructions(layers: InstructionLayers): string;
  createParser(options?: StreamParserOptions): StreamParser;
}

/** The `invocation` both adapters share: everything above in one value. */
export function buildInvocation(
  adapter: AgentAdapter,
  params: AgentTaskParams,
  creds: Credentials,
  layout: ContainerLayout,
  secrets: string[],
): AgentInvocation {
  return {
    argv: adapter.command(params),
    stdin: params.promptFile ?? '/dev/null',
    env: adapter.env(params, creds, layout),
    files: adapter.configFiles(params, layout),
    mounts: adapter.mounts(params, creds, layout),
    secrets,
  };
}

/** Quotes one word for POSIX sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\-./=:@%+,]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A sh command line that runs the agent in the background of a shell: stdin from the invocation,
 * stdout (the event stream) and stderr to files, its pid written first and its exit code last, so
 * a caller can detach, tail the stream and re-attach. No secrets: the env goes to the exec itself.
 */
export function shellCommand(
  inv: Pick<AgentInvocation, 'argv' | 'stdin'>,
  files: { stdout: string; stderr: string; exitCode: string; pid: string },
): string {
  const q = shellQuote;
  return (
    `${inv.argv.map(q).join(' ')} < ${q(inv.stdin)} > ${q(files.stdout)} 2> ${q(files.stderr)} & ` +
    `echo $! > ${q(files.pid)}; wait $!; echo $? > ${q(files.exitCode)}`
  );
}
