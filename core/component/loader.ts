// The component loader: plan a component (ordered task slots, for_each expanded, checked up front)
// and render one task just before it runs (with the results of earlier tasks).
//
// Pipeline for every YAML file: render the whole text (strict Jinja2) → parse YAML (positions kept)
// → validate with zod. Every problem is a UserError naming file, line and field.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { RunStatus, TaskStatus } from '../runs/status.js';
import { agentPath, sourcePath } from './paths.js';
import { paramsOf, resolveExecutionParams } from './params.js';
import type { ResolvedParams } from './params.js';
import type { ComponentRef } from './resolve.js';
import { ComponentManifestSchema, TaskDefinitionSchema } from './schema.js';
import type { ComponentManifest, ExecutionParams, TaskDefinition, TaskInput, TaskOutput } from './schema.js';
import { defaultMissingHint, evaluateExpression, freeVariables, lineMapFor, renderTemplate } from './template.js';
import { lineAt, parseYaml, validateYaml } from './yaml.js';
import type { ParsedYaml } from './yaml.js';

export type { RunStatus, TaskStatus };

/** Template variables known before the run starts. */
export interface PlanContext {
  repo: string;
  branch: string;
  feature_name: string;
  component: string;
  /** The run-level model (CLI > component.yaml > config); tasks may still override theirs. */
  model: string;
  run_id: string;
  /** Every --var, as given. */
  vars: Record<string, string>;
}

/** A file input's `src` and relative `dest`/`path` values resolved to workspace-relative paths. */
export type ResolvedInput = TaskInput & {
  /** Workspace-relative destination (e.g. `.agent/checklist.md`); for file and text inputs. */
  dest_path?: string;
  /** For file inputs: `src` normalized (relative to the project root, or absolute inside it). */
  src_path?: string;
};
export type ResolvedOutput = TaskOutput & {
  /** Workspace-relative path, e.g. `.agent/scan_results.json`. */
  workspace_path: string;
  /** File name without extension: the key in `tasks.<name>.outputs.<stem>`. */
  stem: string;
};

/** One task to run, as the plan lists it (all `pending` up front). Serializable. */
export interface TaskSlot {
  /** Unique within the plan; results of this slot are exposed to later tasks as `tasks.<id>`. */
  id: string;
  /** 0-based position in the plan. */
  index: number;
  /** Task name (from the task file; `id` adds `-<n>` when for_each repeats a name). */
  name: string;
  description?: string;
  /** Task file, relative to the component folder. */
  file: string;
  /** `run:` tasks execute a script with no agent. */
  kind: 'agent' | 'run';
  pause_after: boolean;
  /** Set for slots expanded from for_each. */
  item?: unknown;
  item_index?: number;
  /** Execution parameters from the component.yaml task entry. */
  overrides: ExecutionParams;
  /** True when the task file reads `tasks.*` and could only be fully checked at render time. */
  deferred: boolean;
}

/** Everything the workflow needs to run a component; plain JSON, safe as workflow input. */
export interface ComponentPlan {
  version: 1;
  component: ComponentRef & { description?: string };
  /** Absolute project root (base for file inputs' `src` and fallback for *_file paths). */
  projectRoot: string;
  context: PlanContext;
  /** Settings from component.yaml (rendered), or empty when there is none. */
  manifest: {
    name: string;
    description?: string;
    params: ExecutionParams;
    /** Inputs every task receives (component.yaml `inputs`). */
    inputs: ResolvedInput[];
    /** Rendered text of `agent_md` / `agent_md_file`. */
    agent_md?: string;
    workspace_dirs: string[];
    state_files: string[];
  };
  /** Lower precedence levels, kept so renderTask can resolve each task's parameters. */
  layers: { cli: ExecutionParams; config: ExecutionParams; default: ExecutionParams };
  /** Run-level parameters (CLI > component.yaml > config), e.g. for the run budget. */
  params: ResolvedParams;
  tasks: TaskSlot[];
}

/** Results of earlier tasks, keyed by slot id, as templates see them (`tasks.<id>.status`, ...). */
export interface TaskResultView {
  status: TaskStatus;
  cost: number;
  turns: number;
  /** Output contents by stem: parsed JSON for .json outputs, text otherwise. */
  outputs: Record<string, unknown>;
  /** Anything else the engine exposes (e.g. `answers` from a pause point). */
  [extra: string]: unknown;
}
export type TaskResults = Record<string, TaskResultView>;

/** A task ready to run. Serializable. */
export interface RenderedTask {
  slot_id: string;
  /** Name as rendered from the task file. */
  name: string;
  description?: string;
  file: string;
  kind: 'agent' | 'run';
  /** Prompt text (from `prompt` or `prompt_file`); undefined for `run:` tasks. */
  prompt?: string;
  /** Shell script of a `run:` task. */
  run?: string;
  /** Task instructions (from `instructions` or `instructions_file`). */
  instructions?: string;
  /** Component-level agent instructions (component.yaml `agent_md`), layered under `instructions`. */
  agent_md?: string;
  commit: boolean;
  push: boolean;
  pause_after: boolean;
  /** Component inputs first, then the task's own. */
  inputs: ResolvedInput[];
  outputs: ResolvedOutput[];
  params: ResolvedParams;
  /** The validated task file as written (after rendering). */
  definition: TaskDefinition;
}

export interface PlanOptions {
  /** Template variables and runtime values. `model` defaults to the resolved run-level model. */
  context: Omit<PlanContext, 'component' | 'model'> & { component?: string; model?: string };
  /** CLI flags (highest of the lower levels). */
  cli?: ExecutionParams;
  /** Values set by env, .env or .dkmv/config.json. */
  config?: ExecutionParams;
  /** Built-in defaults (see core/config: DEFAULTS). */
  defaults?: ExecutionParams;
  projectRoot?: string;
}

const RESERVED = [
  'repo',
  'branch',
  'feature_name',
  'component',
  'model',
  'run_id',
  'tasks',
  'item',
  'item_index',
  'loop',
];

function display(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${what}: ${(err as Error).message}`, { location: { file: display(file) } });
  }
}

/** Task files in run order when there is no component.yaml `tasks:` list. */
export function taskFilesOf(dir: string): string[] {
  return (
    readdirSync(dir)
      // component.yaml holds settings and model-script.yaml the component's test model (`dkmv test`).
      .filter((f) => /\.ya?ml$/i.test(f) && !/^(component|model-script)\.ya?ml$/i.test(f))
      .filter((f) => statSync(path.join(dir, f)).isFile())
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  );
}

function manifestFile(dir: string): string | undefined {
  for (const name of ['component.yaml', 'component.yml'])
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

function templateContext(context: PlanContext): Record<string, unknown> {
  return {
    ...context.vars,
    repo: context.repo,
    branch: context.branch,
    feature_name: context.feature_name,
    component: context.component,
    model: context.model,
    run_id: context.run_id,
  };
}

function checkVars(vars: Record<string, string>): void {
  for (const name of Object.keys(vars)) {
    if (RESERVED.includes(name)) {
      throw new UserError(`--var ${name}=... would hide the built-in template variable "${name}"`, {
        hint: `rename the variable, or use the matching flag (e.g. --${name.replace(/_/g, '-')})`,
      });
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new UserError(`--var name "${name}" is not a valid template variable name`, {
        hint: 'use letters, digits and underscores, starting with a letter (e.g. --var prd_path=docs/prd.md)',
      });
    }
  }
}

// component.yaml `for_each: "{{ expr }}"` keeps its value: rewrite it to `{{ (expr) | dump }}` (JSON).
const FOR_EACH_LINE = /^(\s*(?:-\s+)?for_each:\s*)(["']?)\{\{-?\s*([\s\S]+?)\s*-?\}\}\2\s*$/;
function keepForEachValues(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      const m = FOR_EACH_LINE.exec(line);
      return m ? `${m[1]}{{ (${m[3]}) | dump }}` : line;
    })
    .join('\n');
}

interface LoadedManifest {
  file?: string;
  parsed?: ParsedYaml;
  manifest: ComponentManifest;
}

function loadManifest(dir: string, ctx: Record<string, unknown>): LoadedManifest {
  const file = manifestFile(dir);
  if (!file) return { manifest: ComponentManifestSchema.parse({}) };
  const source = keepForEachValues(readText(file, 'component.yaml'));
  const shown = display(file);
  const text = renderTemplate(source, ctx, { file: shown });
  const parsed = parseYaml(text, shown, lineMapFor(source, text));
  const manifest = validateYaml(ComponentManifestSchema, parsed, 'component.yaml');
  return { file, parsed, manifest };
}

/** Finds a `*_file` value: relative to the component folder first, then the project root. */
function supportFile(
  value: string,
  field: string,
  componentDir: string,
  projectRoot: string,
  where: { file: string; line: number | undefined },
): string {
  const candidates = path.isAbsolute(value)
    ? [value]
    : [path.resolve(componentDir, value), path.resolve(projectRoot, value)];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // try the next place
    }
  }
  throw new UserError(`${field} "${value}" does not exist`, {
    location: { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}), field },
    hint: `looked for ${candidates.map(display).join(' and ')}; paths are relative to the component folder`,
  });
}

function resolveInputs(
  inputs: TaskInput[],
  parsed: ParsedYaml | undefined,
  file: string,
  projectRoot: string,
  pathPrefix: (string | number)[] = ['inputs'],
): ResolvedInput[] {
  return inputs.map((input, i) => {
    const at = (field: string): { file: string; line?: number; field: string } => {
      const line = parsed ? lineAt(parsed, [...pathPrefix, i, field]) : undefined;
      return { file, ...(line !== undefined ? { line } : {}), field: `inputs[${i}].${field}` };
    };
    const out: ResolvedInput = { ...input };
    if (input.type === 'file' && input.src !== undefined) {
      out.src_path = sourcePath(input.src, at('src'), projectRoot);
      const dest = input.dest ?? path.posix.basename(out.src_path.replace(/\\/g, '/'));
      out.dest_path = agentPath(dest, at('dest'));
    } else if (input.type === 'text' && input.dest !== undefined) {
      out.dest_path = agentPath(input.dest, at('dest'));
    }
    return out;
  });
}

function resolveOutputs(outputs: TaskOutput[], parsed: ParsedYaml, file: string): ResolvedOutput[] {
  const seen = new Map<string, number>();
  return outputs.map((output, i) => {
    const line = lineAt(parsed, ['outputs', i, 'path']);
    const where = { file, ...(line !== undefined ? { line } : {}), field: `outputs[${i}].path` };
    const workspacePath = agentPath(output.path, where);
    const base = path.posix.basename(workspacePath);
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    if (seen.has(stem)) {
      throw new UserError(`two outputs share the name "${stem}" (outputs[${seen.get(stem)}] and outputs[${i}])`, {
        location: where,
        hint: `later tasks read outputs as tasks.<name>.outputs.${stem}; give the files different names`,
      });
    }
    seen.set(stem, i);
    if (output.required_fields.length > 0 && !/\.json$/i.test(base)) {
      throw new UserError(`required_fields only works for JSON outputs, but "${output.path}" is not a .json file`, {
        location: { ...where, field: `outputs[${i}].required_fields` },
        hint: 'write the output as JSON, or drop required_fields',
      });
    }
    return { ...output, workspace_path: workspacePath, stem };
  });
}

function forEachItems(
  entry: { for_each?: unknown[] | string | undefined },
  index: number,
  loaded: LoadedManifest,
  ctx: Record<string, unknown>,
): unknown[] | undefined {
  const value = entry.for_each;
  if (value === undefined) return undefined;
  const file = display(loaded.file!);
  const line = loaded.parsed ? lineAt(loaded.parsed, ['tasks', index, 'for_each']) : undefined;
  const where = { file, ...(line !== undefined ? { line } : {}), field: `tasks[${index}].for_each` };
  let items: unknown = value;
  if (typeof value === 'string') {
    const s = value.trim();
    if (s.startsWith('[')) {
      try {
        items = JSON.parse(s) as unknown;
      } catch {
        items = value;
      }
    } else if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s)) {
      items = evaluateExpression(s, ctx, { file, ...(line !== undefined ? { line } : {}) });
      if (typeof items === 'string' && items.trim().startsWith('[')) {
        try {
          items = JSON.parse(items) as unknown;
        } catch {
          // reported below
        }
      }
    }
  }
  if (!Array.isArray(items)) {
    const got =
      items === null ? 'null' : typeof items === 'string' ? `the string ${JSON.stringify(items)}` : typeof items;
    throw new UserError(`for_each must be a list, got ${got}`, {
      location: where,
      hint: 'write a YAML list, or an expression for a list, e.g. --var \'phases=["api","ui"]\' with for_each: "{{ phases }}"',
    });
  }
  return items;
}

/**
 * Plans a component: reads component.yaml (or the task files in filename order), expands for_each,
 * and checks every task file that does not depend on earlier results. Throws UserError on any problem.
 */
export function planComponent(component: ComponentRef, options: PlanOptions): ComponentPlan {
  const projectRoot = path.resolve(options.projectRoot ?? process.cwd());
  checkVars(options.context.vars);
  const cli = paramsOf(options.cli);
  const config = paramsOf(options.config);
  const defaults = paramsOf(options.defaults);

  // component.yaml can read every variable except `model` before we know it: render it once with
  // the CLI/config model, then fix the run-level model from its result.
  const preliminary = resolveExecutionParams({ cli, config, default: defaults });
  const baseContext: PlanContext = {
    repo: options.context.repo,
    branch: options.context.branch,
    feature_name: options.context.feature_name,
    run_id: options.context.run_id,
    vars: { ...options.context.vars },
    component: options.context.component ?? component.name,
    model: options.context.model ?? preliminary.model,
  };
  const loaded = loadManifest(component.dir, templateContext(baseContext));
  const { manifest } = loaded;
  const manifestShown = loaded.file ? display(loaded.file) : display(component.dir);
  const componentParams = paramsOf(manifest);
  const runParams = resolveExecutionParams(
    { component: componentParams, cli, config, default: defaults },
    { file: manifestShown },
  );
  const context: PlanContext = { ...baseContext, model: options.context.model ?? runParams.model };
  const ctx = templateContext(context);

  let agentMd = manifest.agent_md;
  if (manifest.agent_md_file !== undefined) {
    const line = loaded.parsed ? lineAt(loaded.parsed, ['agent_md_file']) : undefined;
    const file = supportFile(manifest.agent_md_file, 'agent_md_file', component.dir, projectRoot, {
      file: manifestShown,
      line,
    });
    agentMd = renderTemplate(readText(file, 'agent_md_file'), ctx, { file: display(file) });
  }

  const plan: ComponentPlan = {
    version: 1,
    component: { ...component, ...(manifest.description !== undefined ? { description: manifest.description } : {}) },
    projectRoot,
    context,
    manifest: {
      name: manifest.name ?? component.name,
      ...(manifest.description !== undefined ? { description: manifest.description } : {}),
      params: componentParams,
      inputs: resolveInputs(manifest.inputs, loaded.parsed, manifestShown, projectRoot),
      ...(agentMd !== undefined ? { agent_md: agentMd } : {}),
      workspace_dirs: manifest.workspace_dirs,
      state_files: manifest.state_files,
    },
    layers: { cli, config, default: defaults },
    params: runParams,
    tasks: [],
  };

  const entries =
    manifest.tasks ??
    taskFilesOf(component.dir).map((file) => ({ file, pause_after: false, for_each: undefined as undefined }));
  if (entries.length === 0) {
    throw new UserError('the component has no tasks', {
      location: { file: manifestShown },
      hint: 'add task files (01-first.yaml, ...) or list them under "tasks:" in component.yaml',
    });
  }

  const slots: TaskSlot[] = [];
  entries.forEach((entry, entryIndex) => {
    const line = loaded.parsed ? lineAt(loaded.parsed, ['tasks', entryIndex, 'file']) : undefined;
    const rel = path.normalize(entry.file);
    const abs = path.resolve(component.dir, rel);
    if (rel.startsWith('..') || path.isAbsolute(rel) || !existsSync(abs) || !statSync(abs).isFile()) {
      const available = taskFilesOf(component.dir);
      throw new UserError(`task file "${entry.file}" does not exist in the component folder`, {
        location: { file: manifestShown, ...(line !== undefined ? { line } : {}), field: `tasks[${entryIndex}].file` },
        hint: available.length ? `task files here: ${available.join(', ')}` : 'create the file next to component.yaml',
      });
    }
    const overrides = paramsOf(entry as Partial<ExecutionParams>);
    const items = forEachItems(entry, entryIndex, loaded, ctx);
    const expansions = items === undefined ? [undefined] : items.map((item, i) => ({ item, i }));
    for (const expansion of expansions) {
      const slot: TaskSlot = {
        id: '',
        index: slots.length,
        name: '',
        file: path.relative(component.dir, abs).split(path.sep).join('/'),
        kind: 'agent',
        pause_after: entry.pause_after,
        overrides,
        deferred: false,
        ...(expansion ? { item: expansion.item, item_index: expansion.i } : {}),
      };
      peekSlot(plan, slot);
      slots.push(slot);
    }
  });

  // Unique ids: a name that repeats (for_each, or one file listed twice) gets -1, -2, ...;
  // two different files with the same task name are an error.
  const counts = new Map<string, number>();
  for (const s of slots) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const firstFile = new Map<string, TaskSlot>();
  const seen = new Map<string, number>();
  for (const s of slots) {
    const other = firstFile.get(s.name);
    if (other && other.file !== s.file) {
      throw new UserError(`two tasks are named "${s.name}" (${other.file} and ${s.file})`, {
        location: { file: display(path.join(component.dir, s.file)), field: 'name' },
        hint: 'task names must be unique: later tasks read results as tasks.<name>',
      });
    }
    firstFile.set(s.name, s);
    const k = (seen.get(s.name) ?? 0) + 1;
    seen.set(s.name, k);
    s.id = (counts.get(s.name) ?? 0) > 1 ? `${s.name}-${k}` : s.name;
  }
  plan.tasks = slots;
  return plan;
}

/** Fills name, description and kind of a slot; fully checks the task when it does not read `tasks`. */
function peekSlot(plan: ComponentPlan, slot: TaskSlot): void {
  const abs = path.join(plan.component.dir, slot.file);
  const source = readText(abs, 'task file');
  const shown = display(abs);
  const free = freeVariables(source, shown);
  if (!freeVariables(source, shown, true).has('tasks')) {
    const mode = { planning: true, deferred: false };
    const rendered = renderSlot(plan, slot, {}, mode);
    slot.deferred = mode.deferred;
    slot.name = rendered.name;
    if (rendered.description !== undefined) slot.description = rendered.description;
    slot.kind = rendered.kind;
    return;
  }
  // The file reads earlier results: check its variables now, the rest when it runs.
  slot.deferred = true;
  const ctx = slotContext(plan, slot, {});
  for (const [name, line] of free) {
    if (name === 'tasks' || name in ctx) continue;
    throw new UserError(`template variable "${name}" is not defined`, {
      location: { file: shown, line },
      hint: defaultMissingHint(name),
    });
  }
  let name: string | undefined;
  try {
    const text = renderTemplate(source, { ...ctx, tasks: {} }, { file: shown, lenient: true });
    const value = parseYaml(text, shown).value as Record<string, unknown> | null;
    if (value && typeof value.name === 'string' && value.name.trim()) name = value.name.trim();
    if (value && typeof value.description === 'string') slot.description = value.description;
    if (value && value.run !== undefined) slot.kind = 'run';
  } catch {
    // reported when the task is rendered for real
  }
  slot.name = name ?? path.basename(slot.file).replace(/\.ya?ml$/i, '');
}

function slotContext(plan: ComponentPlan, slot: TaskSlot, results: TaskResults): Record<string, unknown> {
  return {
    ...templateContext(plan.context),
    tasks: results,
    ...(slot.item_index !== undefined ? { item: slot.item, item_index: slot.item_index } : {}),
  };
}

/** Finds a slot by id, task name, or 1-based position (as `--start-task` accepts). */
export function findSlot(plan: ComponentPlan, ref: string | number): TaskSlot {
  const byIndex = typeof ref === 'number' ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  const slot =
    byIndex !== undefined
      ? plan.tasks[byIndex - 1]
      : (plan.tasks.find((t) => t.id === ref) ?? plan.tasks.find((t) => t.name === ref));
  if (!slot) {
    throw new UserError(`no task "${ref}" in component ${plan.component.name}`, {
      hint: `use a task name or a position from 1 to ${plan.tasks.length}: ${plan.tasks.map((t) => t.id).join(', ')}`,
    });
  }
  return slot;
}

/**
 * Renders one task just before it runs: its YAML with the plan's variables, `item`/`item_index` and
 * `tasks.<id>.{status,cost,turns,outputs.<stem>}` of earlier tasks; then its prompt/instructions files.
 */
export function renderTask(plan: ComponentPlan, slotRef: string | number, results: TaskResults = {}): RenderedTask {
  return renderSlot(plan, findSlot(plan, slotRef), results, { planning: false });
}

function renderSlot(
  plan: ComponentPlan,
  slot: TaskSlot,
  results: TaskResults,
  mode: { planning: boolean; deferred?: boolean },
): RenderedTask {
  const dir = plan.component.dir;
  const abs = path.join(dir, slot.file);
  const shown = display(abs);
  const source = readText(abs, 'task file');
  const ctx = slotContext(plan, slot, results);
  const text = renderTemplate(source, ctx, { file: shown });
  const parsed = parseYaml(text, shown, lineMapFor(source, text));
  const def: TaskDefinition = validateYaml(TaskDefinitionSchema, parsed, 'task file');

  const companion = (field: 'prompt_file' | 'instructions_file', value: string): string | undefined => {
    const file = supportFile(value, field, dir, plan.projectRoot, { file: shown, line: lineAt(parsed, [field]) });
    const body = readText(file, field);
    // While planning, a companion that reads earlier results is rendered when the task runs.
    if (mode.planning && freeVariables(body, display(file), true).has('tasks')) {
      mode.deferred = true;
      return undefined;
    }
    return renderTemplate(body, ctx, { file: display(file) });
  };
  const prompt = def.prompt ?? (def.prompt_file !== undefined ? companion('prompt_file', def.prompt_file) : undefined);
  const instructions =
    def.instructions ??
    (def.instructions_file !== undefined ? companion('instructions_file', def.instructions_file) : undefined);

  const paramLine = (key: string): number | undefined => lineAt(parsed, [key]) ?? 1;
  const mismatchLine = def.agent !== undefined ? paramLine('agent') : def.model !== undefined ? paramLine('model') : 1;
  const params = resolveExecutionParams(
    {
      task: paramsOf(def),
      'component-task': slot.overrides,
      component: plan.manifest.params,
      cli: plan.layers.cli,
      config: plan.layers.config,
      default: plan.layers.default,
    },
    { file: shown, ...(mismatchLine !== undefined ? { line: mismatchLine } : {}) },
  );

  return {
    slot_id: slot.id,
    name: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    file: slot.file,
    kind: def.run !== undefined ? 'run' : 'agent',
    ...(prompt !== undefined ? { prompt } : {}),
    ...(def.run !== undefined ? { run: def.run } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
    ...(plan.manifest.agent_md !== undefined ? { agent_md: plan.manifest.agent_md } : {}),
    commit: def.commit,
    push: def.push,
    pause_after: slot.pause_after,
    inputs: [...plan.manifest.inputs, ...resolveInputs(def.inputs, parsed, shown, plan.projectRoot)],
    outputs: resolveOutputs(def.outputs, parsed, shown),
    params,
    definition: def,
  };
}
