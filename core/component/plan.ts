// Planning a component: read component.yaml (or the task files in filename order), expand for_each,
// name every task slot by its `name:` and check every task that does not depend on earlier results.
// The plan carries the texts it needs (its bundle), so it can be rendered on any worker.
//
// Pipeline for every YAML file: render the whole text (strict Jinja2) → parse YAML (positions kept)
// → validate with zod. Every problem is a UserError naming file, line and field.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { checkBundleSize, DiskFiles, display, emptyBundle, manifestFile, readText, taskFilesOf } from './files.js';
import { forEachItems, keepForEachValues } from './for-each.js';
import { paramsOf, resolveExecutionParams } from './params.js';
import { sourcePath, workspaceRelative } from './paths.js';
import type { ComponentPlan, PlanContext, StateFile, TaskSlot } from './plan-types.js';
import { renderSlot, resolveInputs, slotContext, supportFile, templateContext } from './render.js';
import type { ComponentRef } from './resolve.js';
import { ComponentManifestSchema } from './schema.js';
import type { ComponentManifest, ExecutionParams } from './schema.js';
import { checkTaskReferences } from './task-references.js';
import { defaultMissingHint, freeVariables, lineMapFor, renderTemplate } from './template.js';
import { lineAt, parseYaml, validateYaml } from './yaml.js';
import type { ParsedYaml } from './yaml.js';

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

interface LoadedManifest {
  /** Shown name of component.yaml (or of the folder when there is none). */
  shown: string;
  parsed?: ParsedYaml;
  manifest: ComponentManifest;
}

function loadManifest(dir: string, ctx: Record<string, unknown>): LoadedManifest {
  const file = manifestFile(dir);
  if (!file) return { shown: display(dir), manifest: ComponentManifestSchema.parse({}) };
  const source = keepForEachValues(readText(file, 'component.yaml'));
  const shown = display(file);
  const text = renderTemplate(source, ctx, { file: shown });
  const parsed = parseYaml(text, shown, lineMapFor(source, text));
  const manifest = validateYaml(ComponentManifestSchema, parsed, 'component.yaml');
  return { shown, parsed, manifest };
}

const lineOf = (loaded: LoadedManifest, at: (string | number)[]): number | undefined =>
  loaded.parsed ? lineAt(loaded.parsed, at) : undefined;

/** `agent_md_file` is read verbatim, as DKMV reads it; a missing one is a warning, not an error. */
function agentMdOf(loaded: LoadedManifest, files: DiskFiles, warnings: string[]): string | undefined {
  const { manifest } = loaded;
  if (manifest.agent_md !== undefined) return manifest.agent_md;
  if (manifest.agent_md_file === undefined) return undefined;
  const where = { file: loaded.shown, line: lineOf(loaded, ['agent_md_file']) };
  const found = supportFile(files, manifest.agent_md_file, 'agent_md_file', where, true);
  if (!found) {
    warnings.push(
      `${where.file}${where.line ? `:${where.line}` : ''}: agent_md_file "${manifest.agent_md_file}" does not exist; tasks run without it`,
    );
    return undefined;
  }
  return found.text;
}

function stateFilesOf(loaded: LoadedManifest): StateFile[] {
  return loaded.manifest.state_files.map((f, i) => ({
    dest: workspacePath(f.dest, loaded, ['state_files', i, 'dest'], `state_files[${i}].dest`),
    content: f.content,
  }));
}

/** A workspace-relative path as written (relative to the repository root, not `.agent/`). */
function workspacePath(value: string, loaded: LoadedManifest, at: (string | number)[], field: string): string {
  const line = lineOf(loaded, at);
  const where = { file: loaded.shown, ...(line !== undefined ? { line } : {}), field };
  return workspaceRelative(value, where);
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
  const componentParams = paramsOf(manifest);
  const runParams = resolveExecutionParams(
    { component: componentParams, cli, config, default: defaults },
    { file: loaded.shown },
  );
  const context: PlanContext = { ...baseContext, model: options.context.model ?? runParams.model };
  const ctx = templateContext(context);
  const files = new DiskFiles(component.dir, projectRoot, emptyBundle());
  files.bundleComponentFolder();
  const warnings: string[] = [];
  const agentMd = agentMdOf(loaded, files, warnings);

  const plan: ComponentPlan = {
    version: 2,
    component: { ...component, ...(manifest.description !== undefined ? { description: manifest.description } : {}) },
    projectRoot,
    context,
    manifest: {
      name: manifest.name ?? component.name,
      ...(manifest.description !== undefined ? { description: manifest.description } : {}),
      params: componentParams,
      inputs: resolveInputs(manifest.inputs, loaded.parsed, loaded.shown),
      ...(agentMd !== undefined ? { agentMd } : {}),
      workspaceDirs: manifest.workspace_dirs.map((d, i) =>
        workspacePath(d, loaded, ['workspace_dirs', i], `workspace_dirs[${i}]`),
      ),
      stateFiles: stateFilesOf(loaded),
      deliverables: manifest.deliverables.map((d, i) => ({
        path: workspacePath(d.path, loaded, ['deliverables', i], `deliverables[${i}]`),
        required: d.required,
      })),
    },
    layers: { cli, config, default: defaults },
    params: runParams,
    tasks: [],
    warnings,
    bundle: files.bundle,
  };
  plan.tasks = nameSlots(expandSlots(plan, loaded, files, ctx), component.dir);
  checkComponentTaskReferences(plan.tasks, files);
  checkBundleSize(files.bundle);
  return plan;
}

function expandSlots(
  plan: ComponentPlan,
  loaded: LoadedManifest,
  files: DiskFiles,
  ctx: Record<string, unknown>,
): TaskSlot[] {
  const dir = plan.component.dir;
  const entries =
    loaded.manifest.tasks ??
    taskFilesOf(dir).map((file) => ({ file, pause_after: false, for_each: undefined as undefined }));
  if (entries.length === 0) {
    throw new UserError('the component has no tasks', {
      location: { file: loaded.shown },
      hint: 'add task files (01-first.yaml, ...) or list them under "tasks:" in component.yaml',
    });
  }
  const slots: TaskSlot[] = [];
  entries.forEach((entry, entryIndex) => {
    const rel = path.posix.normalize(entry.file.replace(/\\/g, '/'));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw outsideTaskFile(entry.file, entryIndex, loaded, dir);
    if (files.component(rel) === undefined) {
      const line = lineOf(loaded, ['tasks', entryIndex, 'file']);
      const available = taskFilesOf(dir);
      throw new UserError(`task file "${entry.file}" does not exist in the component folder`, {
        location: { file: loaded.shown, ...(line !== undefined ? { line } : {}), field: `tasks[${entryIndex}].file` },
        hint: available.length ? `task files here: ${available.join(', ')}` : 'create the file next to component.yaml',
      });
    }
    const line = lineOf(loaded, ['tasks', entryIndex, 'for_each']);
    const where = {
      file: loaded.shown,
      ...(line !== undefined ? { line } : {}),
      field: `tasks[${entryIndex}].for_each`,
    };
    const items = forEachItems(entry.for_each, ctx, where);
    const expansions = items === undefined ? [undefined] : items.map((item, i) => ({ item, i }));
    for (const expansion of expansions) {
      const slot: TaskSlot = {
        id: '',
        index: slots.length,
        name: '',
        file: rel,
        kind: 'agent',
        pauseAfter: entry.pause_after,
        overrides: paramsOf(entry as Partial<ExecutionParams>),
        deferred: false,
        ...(expansion ? { item: expansion.item, itemIndex: expansion.i } : {}),
      };
      peekSlot(plan, files, slot);
      slots.push(slot);
    }
  });
  return slots;
}

/**
 * Every `tasks.<name>` in the component's task files and the prompt/instruction files read so far
 * names one of its tasks (by name, or by id for repeated ones): a typo is reported before anything runs.
 */
function checkComponentTaskReferences(slots: TaskSlot[], files: DiskFiles): void {
  const known = [...new Set(slots.flatMap((s) => [s.name, s.id]))];
  for (const [rel, sum] of Object.entries(files.bundle.component)) {
    const text = files.bundle.blobs[sum];
    if (rel === 'component.yaml' || !text?.includes('tasks')) continue;
    checkTaskReferences(text, files.shown(rel), known);
  }
}

/** A `tasks[].file` that leaves the component folder: say so (the file may well exist). */
function outsideTaskFile(file: string, entryIndex: number, loaded: LoadedManifest, dir: string): UserError {
  const line = lineOf(loaded, ['tasks', entryIndex, 'file']);
  const exists = existsSync(path.resolve(dir, file));
  return new UserError(
    `task file "${file}" is outside the component folder${exists ? ' (it exists, but a component holds its own tasks)' : ''}`,
    {
      location: { file: loaded.shown, ...(line !== undefined ? { line } : {}), field: `tasks[${entryIndex}].file` },
      hint: `move or copy it into ${display(dir)}/ and list it by its name there, e.g. "file: ${path.basename(file)}"`,
    },
  );
}

/**
 * Unique ids: a name that repeats (for_each, or one file listed twice) gets -1, -2, ...; two
 * different files with the same task name are an error.
 */
function nameSlots(slots: TaskSlot[], dir: string): TaskSlot[] {
  const counts = new Map<string, number>();
  for (const s of slots) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
  const firstFile = new Map<string, TaskSlot>();
  const seen = new Map<string, number>();
  for (const s of slots) {
    const other = firstFile.get(s.name);
    if (other && other.file !== s.file) {
      throw new UserError(`two tasks are named "${s.name}" (${other.file} and ${s.file})`, {
        location: { file: display(path.join(dir, s.file)), field: 'name' },
        hint: 'task names must be unique: later tasks read results as tasks.<name>',
      });
    }
    firstFile.set(s.name, s);
    const k = (seen.get(s.name) ?? 0) + 1;
    seen.set(s.name, k);
    s.id = (counts.get(s.name) ?? 0) > 1 ? `${s.name}-${k}` : s.name;
  }
  return slots;
}

/** Fills name, description and kind of a slot; fully checks the task when it does not read `tasks`. */
function peekSlot(plan: ComponentPlan, files: DiskFiles, slot: TaskSlot): void {
  const source = files.component(slot.file)!;
  const shown = files.shown(slot.file);
  if (!freeVariables(source, shown, true).has('tasks')) {
    const mode = { planning: true, deferred: false };
    const rendered = renderSlot(plan, files, slot, {}, mode);
    slot.deferred = mode.deferred;
    slot.name = rendered.name;
    if (rendered.description !== undefined) slot.description = rendered.description;
    slot.kind = rendered.kind;
    return;
  }
  // The file reads earlier results: check its variables now, the rest when it runs.
  slot.deferred = true;
  const ctx = slotContext(plan, slot, {});
  for (const [name, line] of freeVariables(source, shown)) {
    if (name === 'tasks' || name in ctx) continue;
    throw new UserError(`template variable "${name}" is not defined`, {
      location: { file: shown, line },
      hint: defaultMissingHint(name),
    });
  }
  const head = topLevelFields(source);
  const { tasks: _none, ...known } = ctx;
  slot.name = headValue(head.name, known, shown, 'name') ?? '';
  if (!slot.name) {
    throw new UserError('the task has no name', {
      location: { file: shown, field: 'name' },
      hint: 'add a top-level "name:"; later tasks read its results as tasks.<name>',
    });
  }
  const description = headValue(head.description, known, shown, 'description');
  if (description !== undefined) slot.description = description;
  if (head.run !== undefined) slot.kind = 'run';
  bundleDeferred(files, source, ctx, shown);
}

/**
 * Puts the files a deferred task will read into the bundle now, while this machine's disk is at
 * hand: its prompt/instructions files and file inputs, found by rendering it with no earlier
 * results. Best effort: whatever this misses is reported when the task is rendered.
 */
function bundleDeferred(files: DiskFiles, source: string, ctx: Record<string, unknown>, shown: string): void {
  let value: Record<string, unknown> | null;
  try {
    const text = renderTemplate(source, { ...ctx, tasks: {} }, { file: shown, lenient: true });
    value = parseDocument(text).toJS() as Record<string, unknown> | null;
  } catch {
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const field of ['prompt_file', 'instructions_file']) {
    const ref = value[field];
    if (typeof ref === 'string' && ref) supportFile(files, ref, field, { file: shown }, true);
  }
  for (const input of Array.isArray(value.inputs) ? (value.inputs as Record<string, unknown>[]) : []) {
    if (input?.type === 'file' && typeof input.src === 'string' && input.src.trim()) {
      files.source(sourcePath(input.src.trim()));
    }
  }
}

interface HeadField {
  value: string;
  line: number;
}

/**
 * The top-level `name`, `description` and `run` of a task file, found without rendering it (a later
 * part may need results of earlier tasks). Reads the YAML as written, or its `key:` lines when the
 * template's `{% %}` blocks keep it from parsing.
 */
function topLevelFields(source: string): Partial<Record<'name' | 'description' | 'run', HeadField>> {
  const out: Partial<Record<'name' | 'description' | 'run', HeadField>> = {};
  const lines = source.split('\n');
  lines.forEach((text, i) => {
    const m = /^(name|description|run):(.*)$/.exec(text);
    if (!m || out[m[1] as 'name']) return;
    const key = m[1] as 'name' | 'description' | 'run';
    let value = m[2]!.trim();
    try {
      const doc = parseDocument(`v: ${value}`);
      const v = doc.errors.length ? undefined : (doc.toJS() as { v?: unknown }).v;
      if (typeof v === 'string') value = v;
      else if (v !== undefined && v !== null) value = String(v);
    } catch {
      // keep the raw text
    }
    out[key] = { value, line: i + 1 };
  });
  return out;
}

function headValue(
  field: HeadField | undefined,
  ctx: Record<string, unknown>,
  shown: string,
  key: string,
): string | undefined {
  if (!field) return undefined;
  if (!/\{\{|\{%/.test(field.value)) return field.value.trim();
  if (freeVariables(field.value, shown, true).has('tasks')) {
    throw new UserError(`a task's ${key} may not depend on results of earlier tasks`, {
      location: { file: shown, line: field.line, field: key },
      hint: 'later tasks read results as tasks.<name>, so the name must be known when the run is planned',
    });
  }
  return renderTemplate(field.value, ctx, { file: shown }).trim();
}
