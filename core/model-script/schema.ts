// The model-script format (README "Testing components with model scripts"): a scripted model that
// drives a real agent CLI.
import { z } from 'zod';

export const usageSchema = z
  .object({
    input_tokens: z.number().int().nonnegative().default(0),
    output_tokens: z.number().int().nonnegative().default(0),
    cache_creation_input_tokens: z.number().int().nonnegative().optional(),
    cache_read_input_tokens: z.number().int().nonnegative().optional(),
  })
  .strict();

const writeSchema = z
  .object({
    path: z.string().min(1, 'write.path must not be empty'),
    content: z.string(),
  })
  .strict();

/** One action of a turn. `bash`/`write` are tool calls; `text` is assistant text; `error` fails the turn. */
export const actionSchema = z
  .object({
    bash: z.string().min(1, 'bash must not be empty').optional(),
    write: writeSchema.optional(),
    text: z.string().optional(),
    error: z.number().int().min(400).max(599).optional(),
    /**
     * With `error`: fail only `times` requests for this turn, then go on to the turn's next error
     * or, after the last one, serve its other actions.
     */
    times: z.number().int().positive().optional(),
    delay_ms: z.number().int().nonnegative().optional(),
    usage: usageSchema.optional(),
  })
  .strict()
  .refine((a) => a.bash !== undefined || a.write !== undefined || a.text !== undefined || a.error !== undefined, {
    message: 'a turn needs one of: bash, write, text, error',
  })
  .refine((a) => a.times === undefined || a.error !== undefined, {
    message: 'times counts failures: use it beside error (e.g. { error: 529, times: 2 })',
  })
  .refine((a) => !(a.bash !== undefined && a.write !== undefined), {
    message: 'bash and write in one action: list them as two actions of the turn instead',
  });

/** A turn is one action or a list of actions (several tool calls in one model reply). */
export const turnSchema = z.union([
  actionSchema,
  z.array(actionSchema).min(1, 'a turn list needs at least one action'),
]);

export const sessionSchema = z
  .object({
    match: z.string().optional(),
    usage: usageSchema.optional(),
    delay_ms: z.number().int().nonnegative().optional(),
    final_text: z.string().optional(),
    turns: z.array(turnSchema),
  })
  .strict();

/** A `--var` value in a test setup: text, a list or map (passed as JSON), or `{path}` next to the script. */
const testVarSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ path: z.string().min(1, 'path must not be empty') }),
  z.array(z.unknown()),
  z.record(z.string(), z.unknown()),
]);

/**
 * What `dkmv test <component>` needs besides the model (ours): the variables the component expects,
 * a folder whose files seed the throwaway repository, answers for pause points. Flags win over it.
 */
export const testSetupSchema = z
  .object({
    vars: z.record(z.string(), testVarSchema).default({}),
    /** Folder (relative to the script file) whose files are the throwaway repository's first commit. */
    seed: z.string().min(1, 'seed must not be empty').optional(),
    answers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    feature_name: z.string().min(1, 'feature_name must not be empty').optional(),
  })
  .strict();

export const modelScriptSchema = z
  .object({
    test: testSetupSchema.optional(),
    sessions: z.array(sessionSchema).min(1, 'a model script needs at least one session'),
  })
  .strict();

export type ScriptUsage = z.infer<typeof usageSchema>;
export type ScriptAction = z.infer<typeof actionSchema>;
export type ScriptTurnInput = z.infer<typeof turnSchema>;
export type ScriptSessionInput = z.infer<typeof sessionSchema>;
export type ModelScriptInput = z.infer<typeof modelScriptSchema>;

/** A tool call the model makes, in CLI-neutral terms. */
export type ScriptToolCall = { kind: 'bash'; command: string } | { kind: 'write'; path: string; content: string };

/** A turn, normalized: what the mock answers to the request that holds `index` assistant turns. */
export interface ScriptTurn {
  index: number;
  text: string | undefined;
  calls: ScriptToolCall[];
  error: number | undefined;
  /**
   * The turn's errors in order, each served `times` requests (undefined: every request from then
   * on); once all are used up, the turn is served normally. `error` is the first one's status.
   */
  errors: { status: number; times: number | undefined }[];
  delayMs: number;
  usage: ScriptUsage;
}

export interface ScriptSession {
  index: number;
  match: RegExp | undefined;
  matchSource: string | undefined;
  finalText: string;
  turns: ScriptTurn[];
}

/** A script's test setup, resolved: vars as --var strings, paths absolute. */
export interface TestSetup {
  vars: Record<string, string>;
  seed?: string;
  answers: Record<string, string>;
  featureName?: string;
}

export interface ModelScript {
  file: string | undefined;
  sessions: ScriptSession[];
  test?: TestSetup;
}
