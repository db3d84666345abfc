// `dkmv plan`, `dkmv dev`, `dkmv qa`, `dkmv docs`, `dkmv ship`: the built-in pipeline components with
// their own flags, which become template variables of the components of the same names.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { findProjectRoot } from '../../core/project.js';
import { UserError } from '../../core/errors.js';
import { addRunFlags, parseVars, type RunFlags } from '../run/run-options.js';
import { discoverPhases } from './dev-phases.js';
import { runComponent } from './run.js';

interface PipelineFlags extends RunFlags {
  prd?: string;
  designDocs?: string;
  implDocs?: string;
  startPhase?: string;
  createPr?: boolean;
  prBase?: string;
}

/** Flag → template variable of the built-in component (kept in one place: the components' YAML uses these names). */
export const PIPELINE_VARS = {
  prd: 'prd_path',
  designDocs: 'design_docs_path',
  implDocs: 'impl_docs_path',
  startPhase: 'start_phase',
  createPr: 'create_pr',
  prBase: 'pr_base',
} as const;

/** A local file or folder flag must name something that exists (from here or the project root). */
function requireLocal(flag: string, value: string | undefined, kind: 'file' | 'folder'): void {
  if (value === undefined) return;
  if (existsSync(path.resolve(value)) || existsSync(path.resolve(findProjectRoot(), value))) return;
  throw new UserError(`${flag} ${value}: no such ${kind}`, {
    hint: `give the path of the ${kind === 'file' ? 'PRD (a Markdown file)' : 'folder'}, relative to this folder or the project root`,
  });
}

/** The --var values a pipeline command adds for its own flags. */
export function pipelineVars(flags: PipelineFlags): Record<string, string> {
  const vars: Record<string, string> = {};
  if (flags.prd !== undefined) vars[PIPELINE_VARS.prd] = flags.prd;
  if (flags.designDocs !== undefined) vars[PIPELINE_VARS.designDocs] = flags.designDocs;
  if (flags.implDocs !== undefined) vars[PIPELINE_VARS.implDocs] = flags.implDocs;
  if (flags.startPhase !== undefined) {
    if (!/^\d+$/.test(flags.startPhase) || Number(flags.startPhase) < 1)
      throw new UserError(`--start-phase ${flags.startPhase}: expected a phase number (1, 2, …)`, {
        hint: 'phase files are named phase<N>_<name>.md in --impl-docs; e.g. --start-phase 2',
      });
    vars[PIPELINE_VARS.startPhase] = String(Number(flags.startPhase));
  }
  if (flags.createPr) vars[PIPELINE_VARS.createPr] = 'true';
  if (flags.prBase !== undefined) vars[PIPELINE_VARS.prBase] = flags.prBase;
  return vars;
}

/**
 * `dkmv dev`: `phases` as DKMV's CLI passes it (JSON of `[{phase_number, phase_name, phase_file}]`);
 * --start-phase filters it by phase number, as DKMV does, instead of reaching the component.
 */
export function devPhaseVars(
  implDocs: string,
  branch: string | undefined,
  vars: Record<string, string>,
  cwd: string = process.cwd(),
): Record<string, string> {
  const start = vars[PIPELINE_VARS.startPhase];
  const phases = discoverPhases(implDocs, branch, cwd, start === undefined ? undefined : Number(start));
  const out: Record<string, string> = { ...vars, phases: JSON.stringify(phases) };
  delete out[PIPELINE_VARS.startPhase];
  return out;
}

interface PipelineSpec {
  name: 'plan' | 'dev' | 'qa' | 'docs' | 'ship';
  description: string;
  flags: (cmd: Command) => Command;
  examples: string[];
}

const PIPELINES: PipelineSpec[] = [
  {
    name: 'plan',
    description: 'turn a PRD into implementation docs (pauses after analysis for your decisions)',
    flags: (cmd) =>
      cmd
        .requiredOption('--prd <path>', 'the PRD (a local file)')
        .option('--design-docs <dir>', 'existing design docs to take into account'),
    examples: [
      'dkmv plan --branch feature/auth --prd docs/prds/auth.md',
      'dkmv plan --branch feature/auth --prd requirements.md --design-docs ./docs/ --auto',
    ],
  },
  {
    name: 'dev',
    description: 'implement the implementation docs, phase by phase (commits and pushes each phase)',
    flags: (cmd) =>
      cmd
        .requiredOption('--impl-docs <dir>', 'implementation docs on the branch (from dkmv plan)')
        .option('--start-phase <n>', 'start at this phase number (phase files: phase<N>_*.md in --impl-docs)'),
    examples: ['dkmv dev --branch feature/auth --impl-docs docs/implementation/auth/'],
  },
  {
    name: 'qa',
    description: 'evaluate → fix → re-evaluate (pauses after the evaluation: fix, ship or abort)',
    flags: (cmd) => cmd.requiredOption('--impl-docs <dir>', 'implementation docs on the branch'),
    examples: ['dkmv qa --branch feature/auth --impl-docs docs/implementation/auth/', '… --auto  (fix without asking)'],
  },
  {
    name: 'docs',
    description: 'generate or update documentation; optionally open a pull request',
    flags: (cmd) =>
      cmd
        .option('--impl-docs <dir>', 'implementation docs on the branch')
        .option('--create-pr', 'open a pull request when done (needs a GitHub token)')
        .option('--pr-base <branch>', 'base branch of the pull request (default: the repo default branch)'),
    examples: ['dkmv docs --branch feature/auth', 'dkmv docs --branch feature/auth --create-pr --pr-base main'],
  },
  {
    name: 'ship',
    description:
      'a small PRD to a tested, pushed branch in one run: analyze (pauses for your decisions) → plan → implement → evaluate and fix → optional PR',
    flags: (cmd) =>
      cmd
        .requiredOption('--prd <path>', 'the PRD (a local file)')
        .option('--design-docs <dir>', 'existing design docs to take into account')
        .option('--create-pr', 'open a pull request when done (needs a GitHub token)')
        .option('--pr-base <branch>', 'base branch of the pull request (default: the repo default branch)'),
    examples: [
      'dkmv ship --branch feature/export --prd docs/prds/export.md',
      'dkmv ship --branch feature/export --prd export.md --create-pr --pr-base main --auto',
    ],
  },
];

export function register(program: Command): void {
  for (const spec of PIPELINES) {
    const cmd = spec.flags(
      program.command(spec.name).description(`${spec.description} (built-in component ${spec.name})`),
    );
    addRunFlags(cmd)
      .addHelpText(
        'after',
        `\nFlags become --var of the component: ${Object.entries(PIPELINE_VARS)
          .filter(([flag]) => cmd.options.some((o) => o.attributeName() === flag))
          .map(([flag, v]) => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} → ${v}`)
          .join(', ')}.\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}`,
      )
      .action(async (flags: PipelineFlags) => {
        requireLocal('--prd', flags.prd, 'file');
        requireLocal('--design-docs', flags.designDocs, 'folder');
        let vars = pipelineVars(flags);
        if (spec.name === 'dev' && flags.implDocs && parseVars(flags.var).phases === undefined)
          vars = devPhaseVars(flags.implDocs, flags.branch, vars);
        process.exitCode = await runComponent(spec.name, flags, vars);
      });
  }
}
