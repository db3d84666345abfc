// Rendering one task just before it runs: its YAML with the plan's variables, `item`/`item_index` and
// the results of earlier tasks (`tasks.<id>.…`), then its prompt/instructions files and file inputs.
// Texts come from the plan's bundle (see files.ts), so any worker can render any task.
import path from 'node:path';
import { UserError } from '../errors.js';
import type { ComponentFiles } from './files.js';
import { filesOf } from './files.js';
import { paramsOf, resolveExecutionParams } from './params.js';
import { agentPath, sourcePath } from './paths.js';
import type {
  ComponentPlan,
  InputFile,
  PlanContext,
  RenderedTask,
  ResolvedInput,
  ResolvedOutput,
  TaskResults,
  TaskSlot,
} from './plan-types.js';
import { findSlot } from './plan-types.js';
import { TaskDefinitionSchema } from './schema.js';
import type { TaskDefinition, TaskInput, TaskOutput } from './schema.js';
import { freeVariables, lineMapFor, renderTemplate } from './template.js';
import { lineAt, parseYaml, validateYaml } from './yaml.js';
import type { ParsedYaml } from './yaml.js';

/** The variables every template of the run sees. */
export function templateContext(context: PlanContext): Record<string, unknown> {
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

/** Template variables of one slot: the run's, `tasks`, and `item`/`item_index` for for_each slots. */
export function slotContext(plan: ComponentPlan, slot: TaskSlot, results: TaskResults): Record<string, unknown> {
  return {
    ...templateContext(plan.context),
    tasks: results,
    ...(slot.itemIndex !== undefined ? { item: slot.item, item_index: slot.itemIndex } : {}),
  };
}

interface Where {
  file: string;
  line?: number | undefined;
}

/**
 * Text of a `*_file` value: relative to the component folder first, then the project root (or an
 * absolute path). Returns undefined when `optional` and the file is nowhere.
 */
export function supportFile(
  files: ComponentFiles,
  value: string,
  field: string,
  where: Where,
  optional = false,
): { text: string; shown: string } | undefined {
  if (!path.isAbsolute(value) && !value.startsWith('~')) {
    const own = files.component(value);
    if (own !== undefined) return { text: own, shown: files.shown(value) };
  }
  const key = sourcePath(value);
  const found = files.source(key);
  if (found?.length === 1 && found[0]!.path === '' && !found[0]!.binary) {
    return { text: files.blob(found[0]!), shown: key };
  }
  if (optional) return undefined;
  throw new UserError(`${field} "${value}" does not exist`, {
    location: { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}), field },
    hint: `looked for ${files.shown(value)} and ${key} (in the project); paths are relative to the component folder`,
  });
}

/** Resolves inputs' paths; optional file inputs with an empty or missing `src` are left out (as DKMV does). */
export function resolveInputs(
  inputs: TaskInput[],
  parsed: ParsedYaml | undefined,
  file: string,
  pathPrefix: (string | number)[] = ['inputs'],
): ResolvedInput[] {
  const out: ResolvedInput[] = [];
  inputs.forEach((input, i) => {
    const at = (field: string): { file: string; line?: number; field: string } => {
      const line = parsed ? lineAt(parsed, [...pathPrefix, i, field]) : undefined;
      return { file, ...(line !== undefined ? { line } : {}), field: `inputs[${i}].${field}` };
    };
    if (input.type === 'file' && !input.src?.trim()) {
      if (input.optional) return;
      throw new UserError(`input '${input.name}' has an empty src`, {
        location: at('src'),
        hint: 'set src to a file or folder (or the --var that names it), or mark the input optional: true',
      });
    }
    const resolved: ResolvedInput = { ...input };
    if (input.type === 'file' && input.src !== undefined) {
      resolved.srcPath = sourcePath(input.src.trim());
      const dest = input.dest ?? path.posix.basename(resolved.srcPath.replace(/\\/g, '/'));
      resolved.destPath = agentPath(dest, at('dest'));
    } else if (input.type === 'text' && input.dest !== undefined) {
      resolved.destPath = agentPath(input.dest, at('dest'));
    }
    out.push(resolved);
  });
  return out;
}

/**
 * Outputs with workspace paths and stems. Two outputs may share a stem (`x.json` and `x.md`, as
 * DKMV allows): both files are kept, and the later one is `tasks.<t>.outputs.<stem>`.
 */
export function resolveOutputs(outputs: TaskOutput[], parsed: ParsedYaml, file: string): ResolvedOutput[] {
  return outputs.map((output, i) => {
    const line = lineAt(parsed, ['outputs', i, 'path']);
    const where = { file, ...(line !== undefined ? { line } : {}), field: `outputs[${i}].path` };
    const workspacePath = agentPath(output.path, where);
    const base = path.posix.basename(workspacePath);
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    if (output.required_fields.length > 0 && !/\.json$/i.test(base)) {
      throw new UserError(`required_fields only works for JSON outputs, but "${output.path}" is not a .json file`, {
        location: { ...where, field: `outputs[${i}].required_fields` },
        hint: 'write the output as JSON, or drop required_fields',
      });
    }
    return { ...output, workspace_path: workspacePath, stem };
  });
}

/** The files of the file inputs, from the bundle; an absent required input is a UserError. */
function withFiles(
  files: ComponentFiles,
  inputs: ResolvedInput[],
  shown: string,
  taskName: string,
): RenderedTask['inputs'] {
  const out: RenderedTask['inputs'] = [];
  for (const input of inputs) {
    if (input.type !== 'file' || input.srcPath === undefined || input.destPath === undefined) {
      out.push(input);
      continue;
    }
    const found = files.source(input.srcPath);
    if (!found) {
      if (input.optional) continue; // DKMV skips an optional input whose source is missing
      throw new UserError(`input '${input.name}' of task '${taskName}': ${input.src} does not exist`, {
        location: { file: shown, field: 'inputs.src' },
        hint: 'check the path (relative to the project root, or absolute) or the --var that sets it; mark the input optional: true if it may be absent',
      });
    }
    const dest = input.destPath;
    const list: InputFile[] = found.map((f) => ({
      path: f.path ? `${dest}/${f.path}` : dest,
      content: files.blob(f),
      ...(f.binary ? { binary: true } : {}),
    }));
    out.push({ ...input, files: list });
  }
  return out;
}

export interface RenderMode {
  /** While planning, companions that read `tasks` are left for run time (and `deferred` is set). */
  planning: boolean;
  deferred?: boolean;
}

/** Renders a slot with the given files (planning: disk; run time: the bundle). */
export function renderSlot(
  plan: ComponentPlan,
  files: ComponentFiles,
  slot: TaskSlot,
  results: TaskResults,
  mode: RenderMode,
): RenderedTask {
  const shown = files.shown(slot.file);
  const source = files.component(slot.file);
  if (source === undefined) {
    throw new UserError(`task file ${slot.file} is not in the plan`, { location: { file: shown } });
  }
  const ctx = slotContext(plan, slot, results);
  const text = renderTemplate(source, ctx, { file: shown });
  const parsed = parseYaml(text, shown, lineMapFor(source, text));
  const def: TaskDefinition = validateYaml(TaskDefinitionSchema, parsed, 'task file');

  const companion = (field: 'prompt_file' | 'instructions_file', value: string): string | undefined => {
    const found = supportFile(files, value, field, { file: shown, line: lineAt(parsed, [field]) })!;
    // While planning, a companion that reads earlier results is rendered when the task runs.
    if (mode.planning && freeVariables(found.text, found.shown, true).has('tasks')) {
      mode.deferred = true;
      return undefined;
    }
    return renderTemplate(found.text, ctx, { file: found.shown });
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
  const inputs = [...plan.manifest.inputs, ...resolveInputs(def.inputs, parsed, shown)];

  return {
    slotId: slot.id,
    name: def.name,
    ...(def.description !== undefined ? { description: def.description } : {}),
    file: slot.file,
    kind: def.run !== undefined ? 'run' : 'agent',
    ...(prompt !== undefined ? { prompt } : {}),
    ...(def.run !== undefined ? { run: def.run } : {}),
    ...(instructions !== undefined ? { instructions } : {}),
    ...(plan.manifest.agentMd !== undefined ? { agentMd: plan.manifest.agentMd } : {}),
    commit: def.commit,
    push: def.push,
    pauseAfter: slot.pauseAfter,
    inputs: withFiles(files, inputs, shown, def.name),
    outputs: resolveOutputs(def.outputs, parsed, shown),
    params,
    definition: def,
  };
}

/**
 * Renders one task just before it runs: its YAML with the plan's variables, `item`/`item_index` and
 * `tasks.<id>.{status,cost,turns,outputs.<stem>}` of earlier tasks; then its prompt/instructions files.
 */
export function renderTask(plan: ComponentPlan, slotRef: string | number, results: TaskResults = {}): RenderedTask {
  return renderSlot(plan, filesOf(plan), findSlot(plan, slotRef), results, { planning: false });
}
