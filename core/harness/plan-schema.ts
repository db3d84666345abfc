// The harness plan (`.agent/plan.json`, written by the planner role): spec, app contract, work units
// with exclusive ownership, aggregation symbols, file manifest, shared contracts, overall criteria.
// Parsing it with this schema is Gate 1's rule G1.1; the cross-field rules live in gate1.ts.
import { z } from 'zod';

export const MAX_UNITS = 12;

/** What the plan builds (app.kind): a page in a browser, an HTTP service, a command line, a library. */
export const APP_KINDS = ['web', 'service', 'cli', 'library'] as const;
export type AppKind = (typeof APP_KINDS)[number];

export const CRITERION_KINDS = ['ui', 'api', 'behavior', 'build', 'design'] as const;

/**
 * The schema, built on its first use. Workflow code imports this file, and every new workflow
 * evaluates its modules afresh: building these ~60 zod schemas at load cost every run (component
 * runs included) ~25 ms of its first workflow task.
 */
function buildPlanSchema() {
  const text = (min = 1) => z.string().trim().min(min);

  const CriterionSchema = z.strictObject({
    id: text(),
    text: text(20),
    kind: z.enum(CRITERION_KINDS),
  });

  const UnitSchema = z.strictObject({
    id: z.string().regex(/^WU-\d{2}$/, 'a unit id looks like WU-01'),
    title: text(),
    complexity: z.enum(['low', 'medium', 'high']),
    owns: z.array(text()).min(1),
    creates: z.array(z.strictObject({ symbol: text(), file: text(), export: text() })).default([]),
    criteria: z.array(CriterionSchema),
    // Packages the unit needs (name → version range); the landing writes them into package.json.
    dependencies: z.record(z.string().min(1), text()).default({}),
    devDependencies: z.record(z.string().min(1), text()).default({}),
  });

  const PaletteEntry = z.strictObject({ name: text(), hex: z.string() });

  const DesignDirectionSchema = z.strictObject({
    source: z.string().nullable().optional(),
    tone: text(),
    palette: z.array(PaletteEntry).min(2, 'a palette has at least 2 colours'),
    typography: z.strictObject({ display: text(), body: text() }),
  });

  const SpecSchema = z.strictObject({
    overview: text(40),
    stack: z.strictObject({
      frontend: z.string().optional(),
      backend: z.string().optional(),
      testing: z.string().optional(),
      build: text(),
    }),
    design_direction: DesignDirectionSchema.optional(),
    features: z.array(z.strictObject({ id: text(), name: text(), description: text() })).min(1),
    data_model: z.string(),
    api_surface: z.string().optional(),
    ui_layout: z.string().optional(),
    nfr: z.string().optional(),
  });

  // install, start and port are checked by G1.12 (so their absence is named as that rule).
  const AppSchema = z.strictObject({
    install: z.string().optional(),
    start: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    ready_path: z.string().startsWith('/').default('/'),
    start_timeout_s: z.number().int().positive().default(60),
    // What is built decides how SMOKE and the evaluators test it (core/harness/app-kind.ts).
    kind: z.enum(APP_KINDS).optional(), // absent = web
    // service: one declared request SMOKE sends besides the ready path (evidence: request and response).
    probe: z.strictObject({ method: z.string().default('GET'), path: z.string().startsWith('/') }).optional(),
  });

  // The check contract (G1.13): commands that build, type-check and test the integration head.
  const CheckSchema = z.strictObject({
    commands: z.array(z.string()).default([]),
    timeout_s: z.number().int().positive().default(600),
  });

  return z.strictObject({
    version: z.literal(1),
    spec: SpecSchema,
    app: AppSchema,
    check: CheckSchema.optional(),
    units: z.array(UnitSchema).min(1).max(MAX_UNITS, `at most ${MAX_UNITS} units`),
    aggregation_symbols: z
      .array(z.strictObject({ symbol: text(), file: text(), owner: text(), wires: z.array(z.string()).default([]) }))
      .default([]),
    file_manifest: z.array(z.strictObject({ symbol: text(), file: text(), export: text(), owner: text() })).default([]),
    shared_contracts: z
      .strictObject({
        data_types: z
          .array(
            z.strictObject({
              name: text(),
              fields: z.array(z.strictObject({ name: text(), type: text() })).default([]),
              owner: text(),
              used_by: z.array(z.string()).default([]),
            }),
          )
          .default([]),
        functions: z
          .array(
            z.strictObject({
              name: text(),
              signature: text(),
              owner: text(),
              used_by: z.array(z.string()).default([]),
            }),
          )
          .default([]),
        api: z.array(z.strictObject({ method: text(), path: text(), response: text(), owner: text() })).default([]),
      })
      .default({ data_types: [], functions: [], api: [] }),
    overall_criteria: z.array(CriterionSchema).min(3, 'at least 3 overall criteria'),
  });
}

export const PlanSchema = z.lazy(buildPlanSchema);

export type HarnessPlan = z.output<typeof PlanSchema>;
export type WorkUnit = HarnessPlan['units'][number];
export type Criterion = WorkUnit['criteria'][number];
