// The layered instructions file an agent reads on start (`.claude/CLAUDE.md` for Claude Code,
// `AGENTS.md` for Codex): system context, component agent_md, context files, task instructions, git rules.

export interface InstructionLayers {
  /** Replaces the default system context. */
  systemContext?: string;
  /** The component's `agent_md` (already rendered). */
  agentMd?: string;
  /** Workspace-relative files the agent should read first (inputs, state files, previous outputs). */
  contextFiles?: string[];
  /** The task's `instructions` (already rendered). */
  taskInstructions?: string;
  /** Replaces the default git rules; `false` leaves them out. */
  gitRules?: string | false;
}

export const DEFAULT_SYSTEM_CONTEXT = [
  'You are a coding agent run by dkmv, non-interactively, inside an isolated Docker container.',
  'Your working directory is a git checkout of the project on the branch for this run.',
  'Nobody can answer questions while you work: make reasonable decisions and state them in your final message.',
  'Files dkmv asks you to produce (outputs) live under `.agent/` unless a path says otherwise;',
  'write them exactly where the task says, with the fields it asks for.',
].join('\n');

export const DEFAULT_GIT_RULES = [
  '- dkmv commits and pushes your work when the task ends: do not push, and commit only if the task asks you to.',
  '- Stay on the current branch. Do not rewrite history (no rebase, amend, reset --hard, force push).',
  '- Never write credentials or tokens into files, commits or logs.',
  '- Do not commit build output or dependencies (node_modules, dist, .venv, ...).',
].join('\n');

export function renderInstructions(layers: InstructionLayers): string {
  const sections: string[] = [];
  const add = (title: string, body: string | undefined): void => {
    const text = body?.trim();
    if (text) sections.push(`## ${title}\n\n${text}`);
  };
  add('Context', layers.systemContext ?? DEFAULT_SYSTEM_CONTEXT);
  add('Component guidelines', layers.agentMd);
  if (layers.contextFiles?.length) {
    add('Read these files first', layers.contextFiles.map((f) => `- \`${f}\``).join('\n'));
  }
  add('Task instructions', layers.taskInstructions);
  if (layers.gitRules !== false) add('Git rules', layers.gitRules ?? DEFAULT_GIT_RULES);
  return `# Instructions from dkmv\n\n${sections.join('\n\n')}\n`;
}
