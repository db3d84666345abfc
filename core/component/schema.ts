// Zod schemas for DKMV task YAML files and component.yaml (DESIGN.md "Component format"),
// plus our extension `run:` (a shell script instead of a prompt). Unknown fields are errors.
import { z } from 'zod';

export const AGENTS = ['claude', 'codex'] as const;
export type AgentName = (typeof AGENTS)[number];

// YAML rendered from templates often quotes numbers and booleans ("{{ turns }}"); accept their
// string forms the way DKMV (pydantic, lax mode) did, and nothing looser.
const numericString = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/;
function coerceNumber(value: unknown): unknown {
  return typeof value === 'string' && numericString.test(value) ? Number(value) : value;
}
function coerceBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === 'yes') return true;
  if (v === 'false' || v === 'no') return false;
  return value;
}

const positiveInt = z.preprocess(
  coerceNumber,
  z.number({ error: 'expected a whole number' }).int({ error: 'expected a whole number' }).positive({
    error: 'must be greater than 0',
  }),
);
const positiveNumber = z.preprocess(
  coerceNumber,
  z.number({ error: 'expected a number' }).positive({ error: 'must be greater than 0' }),
);
const bool = z.preprocess(coerceBoolean, z.boolean({ error: 'expected true or false' }));
const text = z.string({ error: 'expected a string' });
const nonEmpty = text.min(1, { error: 'must not be empty' });
const agent = z.enum(AGENTS, { error: 'expected "claude" or "codex"' });

/** The execution parameters a task, a component.yaml task entry or component.yaml may set. */
export const executionParamsShape = {
  agent: agent.optional(),
  model: nonEmpty.optional(),
  max_turns: positiveInt.optional(),
  timeout_minutes: positiveNumber.optional(),
  max_budget_usd: positiveNumber.optional(),
};

export const EXECUTION_PARAM_KEYS = ['agent', 'model', 'max_turns', 'timeout_minutes', 'max_budget_usd'] as const;
export type ExecutionParamKey = (typeof EXECUTION_PARAM_KEYS)[number];

export const TaskInputSchema = z
  .strictObject({
    name: nonEmpty,
    type: z.enum(['file', 'text', 'env'], { error: 'expected one of file, text, env' }),
    // May be empty: DKMV skips an optional input whose source is empty (checked when resolved).
    src: text.optional(),
    dest: nonEmpty.optional(),
    content: text.optional(),
    key: nonEmpty.optional(),
    value: text.optional(),
    optional: bool.default(false),
  })
  .superRefine((input, ctx) => {
    const need = (field: 'src' | 'dest' | 'content' | 'key' | 'value', why: string): void => {
      if (input[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: why });
    };
    const forbid = (fields: readonly ('src' | 'dest' | 'content' | 'key' | 'value')[]): void => {
      for (const field of fields) {
        if (input[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `is not used by a ${input.type} input; remove it` });
        }
      }
    };
    if (input.type === 'file') {
      if (!input.optional) need('src', 'a file input needs `src` (the file or folder to copy in)');
      forbid(['content', 'key', 'value']);
    } else if (input.type === 'text') {
      need('content', 'a text input needs `content`');
      need('dest', 'a text input needs `dest` (the file the content is written to)');
      forbid(['src', 'key', 'value']);
    } else {
      need('key', 'an env input needs `key` (the variable name)');
      need('value', 'an env input needs `value`');
      forbid(['src', 'dest', 'content']);
      if (input.key !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['key'],
          message: `"${input.key}" is not a valid environment variable name`,
        });
      }
    }
  });
export type TaskInput = z.output<typeof TaskInputSchema>;

export const TaskOutputSchema = z.strictObject({
  path: nonEmpty,
  required: bool.default(false),
  save: bool.default(true),
  required_fields: z.array(nonEmpty, { error: 'expected a list of field names' }).default([]),
});
export type TaskOutput = z.output<typeof TaskOutputSchema>;

export const TaskDefinitionSchema = z
  .strictObject({
    name: nonEmpty,
    description: text.optional(),
    commit: bool.default(true),
    push: bool.default(true),
    ...executionParamsShape,
    inputs: z.array(TaskInputSchema, { error: 'expected a list of inputs' }).default([]),
    outputs: z.array(TaskOutputSchema, { error: 'expected a list of outputs' }).default([]),
    instructions: text.optional(),
    instructions_file: nonEmpty.optional(),
    prompt: text.optional(),
    prompt_file: nonEmpty.optional(),
    run: nonEmpty.optional(),
    /** Worker credentials a `run:` script receives in its environment (ours): `github` → GITHUB_TOKEN. */
    credentials: z
      .array(z.enum(['github'], { error: 'expected "github"' }), { error: 'expected a list, e.g. [github]' })
      .optional(),
  })
  .superRefine((task, ctx) => {
    if (task.instructions !== undefined && task.instructions_file !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['instructions_file'],
        message: '`instructions` and `instructions_file` are both set; keep only one',
      });
    }
    const bodies = (['prompt', 'prompt_file', 'run'] as const).filter((k) => task[k] !== undefined);
    if (bodies.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'a task needs exactly one of `prompt`, `prompt_file` or `run`; none is set',
      });
    } else if (bodies.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [bodies[1]!],
        message: `${bodies.map((b) => `\`${b}\``).join(' and ')} are both set; a task has exactly one of prompt, prompt_file or run`,
      });
    }
  });
export type TaskDefinition = z.output<typeof TaskDefinitionSchema>;

export const ForEachSchema = z.union([z.array(z.unknown()), z.string()], {
  error: 'expected a list, or a template expression that evaluates to a list',
});

export const ComponentTaskEntrySchema = z.strictObject({
  file: nonEmpty,
  pause_after: bool.default(false),
  for_each: ForEachSchema.optional(),
  ...executionParamsShape,
});
export type ComponentTaskEntry = z.output<typeof ComponentTaskEntrySchema>;

/** DKMV's `state_files`: files written into the workspace before the first task. */
export const StateFileSchema = z.strictObject({ dest: nonEmpty, content: text.default('') });

/** `deliverables`: workspace paths the component promises; a string is a required path. */
export const DeliverableSchema = z.union(
  [
    z.strictObject({ path: nonEmpty, required: bool.default(true) }),
    nonEmpty.transform((p) => ({ path: p, required: true })),
  ],
  { error: 'expected a path or {path, required}' },
);

export const ComponentManifestSchema = z
  .strictObject({
    name: nonEmpty.optional(),
    description: text.optional(),
    ...executionParamsShape,
    inputs: z.array(TaskInputSchema, { error: 'expected a list of inputs' }).default([]),
    agent_md: text.optional(),
    agent_md_file: nonEmpty.optional(),
    workspace_dirs: z.array(nonEmpty, { error: 'expected a list of folder names' }).default([]),
    state_files: z.array(StateFileSchema, { error: 'expected a list of {dest, content}' }).default([]),
    deliverables: z.array(DeliverableSchema, { error: 'expected a list of paths or {path, required}' }).default([]),
    tasks: z.array(ComponentTaskEntrySchema, { error: 'expected a list of task entries' }).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.agent_md !== undefined && m.agent_md_file !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['agent_md_file'],
        message: '`agent_md` and `agent_md_file` are both set; keep only one',
      });
    }
  });
export type ComponentManifest = z.output<typeof ComponentManifestSchema>;

/** Execution parameters as one level of the precedence chain sets them (all optional). */
export interface ExecutionParams {
  agent?: AgentName;
  model?: string;
  max_turns?: number;
  timeout_minutes?: number;
  max_budget_usd?: number;
}
