// Gate 1: a plan is accepted only when it parses (G1.1) and passes every mechanical rule G1.2–G1.13
// (see docs/harness.md). A rejected plan goes back to the planner as the numbered list of problems.
import type { z } from 'zod';
import { kindRules } from './app-kind.js';
import { checkContract } from './check-contract.js';
import { covers, keyPath, parseKey, symbolKey } from './ownership-keys.js';
import { PlanSchema, type HarnessPlan, type WorkUnit } from './plan-schema.js';

export type GateResult = { ok: true; plan: HarnessPlan } | { ok: false; problems: string[] };

const BANNED_FONTS = ['arial', 'inter', 'roboto', 'system-ui'];
const FORBIDDEN_ROOTS = ['.agent/', '.git/', 'node_modules/'];

/** Runs Gate 1 on the raw JSON value the planner wrote. */
export function checkPlan(raw: unknown): GateResult {
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    // A schema error must not hide the other problems: run the rules on what is there, each on its own.
    return { ok: false, problems: [...schemaProblems(parsed.error), ...ruleProblems(raw as HarnessPlan, true)] };
  }
  const problems = ruleProblems(parsed.data, false);
  return problems.length ? { ok: false, problems } : { ok: true, plan: parsed.data };
}

const RULES: ((plan: HarnessPlan) => string[])[] = [
  uniqueIds,
  criteriaCounts,
  exclusiveOwnership,
  createsInsideOwns,
  aggregationOwners,
  manifestComplete,
  sharedContracts,
  designDirection,
  overallCriteria,
  relativePaths,
  appContract,
  checkContract,
];

/** G1.2–G1.13; on a plan that failed the schema (`loose`) a rule that cannot read it says nothing. */
function ruleProblems(plan: HarnessPlan, loose: boolean): string[] {
  const filled = loose ? withDefaults(plan) : plan;
  return RULES.flatMap((rule) => {
    if (!loose) return rule(filled);
    try {
      return rule(filled);
    } catch {
      return [];
    }
  });
}

/** The schema's defaults on a raw plan, so the rules see empty lists where the planner wrote none. */
function withDefaults(raw: unknown): HarnessPlan {
  if (!raw || typeof raw !== 'object') return raw as HarnessPlan;
  const plan = raw as Record<string, unknown>;
  const units: unknown[] = Array.isArray(plan.units) ? (plan.units as unknown[]) : [];
  return {
    aggregation_symbols: [],
    file_manifest: [],
    shared_contracts: { data_types: [], functions: [], api: [] },
    overall_criteria: [],
    app: {},
    ...plan,
    units: units.map((u) => (u && typeof u === 'object' ? { creates: [], criteria: [], owns: [], ...u } : u)),
  } as unknown as HarnessPlan;
}

/** The feedback a rejected plan goes back with: one numbered line per problem. */
export function formatProblems(problems: readonly string[]): string {
  return problems.map((p, i) => `${i + 1}. ${p}`).join('\n');
}

function schemaProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)) : [];
    const field = at.join('').replace(/^\./, '') || '(plan)';
    return `G1.1: ${field}: ${issue.message}`;
  });
}

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

function uniqueIds(plan: HarnessPlan): string[] {
  const units = duplicates(plan.units.map((u) => u.id)).map((id) => `G1.2: unit id ${id} is used more than once`);
  const criteria = [...plan.units.flatMap((u) => u.criteria), ...plan.overall_criteria].map((c) => c.id);
  return [...units, ...duplicates(criteria).map((id) => `G1.2: criterion id ${id} is used more than once`)];
}

function criteriaCounts(plan: HarnessPlan): string[] {
  return plan.units
    .filter((u) => u.criteria.length < 5)
    .map((u) => `G1.3: unit ${u.id} has ${u.criteria.length} acceptance criteria; it needs at least 5`);
}

function exclusiveOwnership(plan: HarnessPlan): string[] {
  const problems: string[] = [];
  const entries = plan.units.flatMap((u) => u.owns.map((key) => ({ key, unit: u.id })));
  for (const key of duplicates(entries.map((e) => e.key))) {
    const owners = [...new Set(entries.filter((e) => e.key === key).map((e) => e.unit))];
    problems.push(`G1.4: ${key} has more than one owner (${owners.join(', ')}); give it to exactly one unit`);
  }
  for (const a of entries) {
    for (const b of entries) {
      if (a.unit === b.unit || a.key === b.key || !covers(a.key, b.key)) continue;
      problems.push(
        `G1.4: ${a.unit} owns ${a.key}, which covers ${b.key} owned by ${b.unit}; ownership must be exclusive`,
      );
    }
  }
  return problems;
}

function ownedBy(unit: WorkUnit, key: string): boolean {
  return unit.owns.some((own) => covers(own, key));
}

function createsInsideOwns(plan: HarnessPlan): string[] {
  return plan.units.flatMap((u) =>
    u.creates
      .filter((c) => !ownedBy(u, symbolKey(c.file, c.symbol)))
      .map((c) => `G1.5: unit ${u.id} creates ${symbolKey(c.file, c.symbol)}, which is not inside its owns list`),
  );
}

/** The units whose owns cover a key. */
function ownersOf(plan: HarnessPlan, key: string): string[] {
  return plan.units.filter((u) => ownedBy(u, key)).map((u) => u.id);
}

function aggregationOwners(plan: HarnessPlan): string[] {
  const problems: string[] = [];
  if (plan.units.length > 1 && plan.aggregation_symbols.length === 0) {
    problems.push(
      'G1.6: with more than one unit the plan needs aggregation_symbols (the entry point that wires the units together, with exactly one owner)',
    );
  }
  for (const agg of plan.aggregation_symbols) {
    const key = symbolKey(agg.file, agg.symbol);
    const owners = ownersOf(plan, key);
    if (owners.length !== 1 || owners[0] !== agg.owner) {
      const actual = owners.length ? owners.join(', ') : 'no unit';
      problems.push(
        `G1.6: aggregation symbol ${key} lists owner ${agg.owner}, but its owns entries give it to ${actual}`,
      );
    }
  }
  return problems;
}

function manifestComplete(plan: HarnessPlan): string[] {
  const problems: string[] = [];
  const unitIds = new Set(plan.units.map((u) => u.id));
  for (const u of plan.units) {
    const symbols = new Map<string, { file: string; symbol: string }>();
    for (const key of u.owns) {
      const k = parseKey(key);
      if (k.symbol !== undefined) symbols.set(key, { file: k.path, symbol: k.symbol });
    }
    for (const c of u.creates) symbols.set(symbolKey(c.file, c.symbol), { file: c.file, symbol: c.symbol });
    for (const [key, s] of symbols) {
      const rows = plan.file_manifest.filter((r) => r.file === s.file && r.symbol === s.symbol);
      if (rows.length !== 1) {
        problems.push(`G1.7: ${key} (unit ${u.id}) needs exactly one file_manifest row; found ${rows.length}`);
      } else if (rows[0]!.owner !== u.id) {
        problems.push(`G1.7: the file_manifest row for ${key} names owner ${rows[0]!.owner}; it belongs to ${u.id}`);
      }
    }
  }
  for (const row of plan.file_manifest) {
    if (!unitIds.has(row.owner))
      problems.push(`G1.7: file_manifest row ${row.file}:${row.symbol} names unknown owner ${row.owner}`);
  }
  const exports = plan.file_manifest.map((r) => `${r.file} export ${r.export}`);
  for (const d of duplicates(exports)) problems.push(`G1.7: file_manifest lists ${d} more than once`);
  return problems;
}

function sharedContracts(plan: HarnessPlan): string[] {
  const problems: string[] = [];
  const unitIds = new Set(plan.units.map((u) => u.id));
  const sc = plan.shared_contracts;
  const named = [
    ...sc.data_types.map((c) => ({ what: `data type ${c.name}`, owner: c.owner, used_by: c.used_by })),
    ...sc.functions.map((c) => ({ what: `function ${c.name}`, owner: c.owner, used_by: c.used_by })),
    ...sc.api.map((c) => ({ what: `api ${c.method} ${c.path}`, owner: c.owner, used_by: [] as string[] })),
  ];
  for (const c of named) {
    for (const id of [c.owner, ...c.used_by]) {
      if (!unitIds.has(id)) problems.push(`G1.8: shared contract ${c.what} names unknown unit ${id}`);
    }
  }
  // A symbol another unit's aggregation wires in is an interface between two units: it needs a contract.
  const contractNames = new Set([...sc.functions.map((f) => f.name), ...sc.data_types.map((d) => d.name)]);
  for (const agg of plan.aggregation_symbols) {
    for (const wired of agg.wires) {
      const row = plan.file_manifest.find((r) => r.symbol === wired || r.export === wired);
      if (!row || row.owner === agg.owner || contractNames.has(wired)) continue;
      problems.push(
        `G1.8: ${agg.owner} wires ${wired} (owned by ${row.owner}) into ${agg.symbol}; add a shared_contracts.functions entry for ${wired} with its signature`,
      );
    }
  }
  return problems;
}

function designDirection(plan: HarnessPlan): string[] {
  const needsDesign =
    Boolean(plan.spec.stack.frontend) ||
    [...plan.units.flatMap((u) => u.criteria), ...plan.overall_criteria].some(
      (c) => c.kind === 'ui' || c.kind === 'design',
    );
  const dd = plan.spec.design_direction;
  if (!dd)
    return needsDesign ? ['G1.9: the plan has UI criteria or a frontend, so spec.design_direction is required'] : [];
  const problems = dd.palette
    .filter((p) => !/^#[0-9a-fA-F]{6}$/.test(p.hex))
    .map((p) => `G1.9: palette colour ${p.name} has hex ${JSON.stringify(p.hex)}; use the form #RRGGBB`);
  for (const [role, font] of Object.entries(dd.typography)) {
    const banned = BANNED_FONTS.find((b) =>
      font
        .toLowerCase()
        .split(/[\s,'"]+/)
        .includes(b),
    );
    if (banned)
      problems.push(`G1.9: typography.${role} uses ${font}; pick a distinctive font, not ${BANNED_FONTS.join('/')}`);
  }
  return problems;
}

function overallCriteria(plan: HarnessPlan): string[] {
  const texts = plan.overall_criteria.map((c) => c.text.toLowerCase());
  const problems: string[] = [];
  if (!texts.some((t) => /\b(start|starts|started|launch|boot|serve|serves)\b/.test(t)))
    problems.push('G1.10: overall_criteria need a startup criterion (the app installs and starts without errors)');
  if (kindRules(plan.app.kind).consoleCriterion && !texts.some((t) => t.includes('console') && t.includes('error')))
    problems.push('G1.10: overall_criteria need a "no console errors" criterion');
  return problems;
}

function badPath(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.includes('\\')) return 'is not a relative path';
  if (p.split('/').includes('..')) return 'contains ..';
  const root = FORBIDDEN_ROOTS.find((r) => p === r.slice(0, -1) || p.startsWith(r));
  return root ? `is under ${root}` : undefined;
}

function relativePaths(plan: HarnessPlan): string[] {
  const paths = [
    ...plan.units.flatMap((u) => [...u.owns.map(keyPath), ...u.creates.map((c) => c.file)]),
    ...plan.aggregation_symbols.map((a) => a.file),
    ...plan.file_manifest.map((r) => r.file),
  ];
  const problems: string[] = [];
  for (const p of new Set(paths)) {
    const why = badPath(p);
    if (why)
      problems.push(
        `G1.11: path ${p} ${why}; paths are relative to the repository root, outside .agent/, .git/ and node_modules/`,
      );
  }
  return problems;
}

function appContract(plan: HarnessPlan): string[] {
  const fields = kindRules(plan.app.kind).appFields;
  const missing = fields.filter((k) => ((plan.app[k] as string | undefined) ?? '').trim() === '');
  const problems = missing.map(
    (k) => `G1.12: app.${k} is required (how the smoke test, the evaluators and the fixers install and start the app)`,
  );
  // The harness starts every copy of the app on a free port of its own, passed as $PORT.
  if (fields.includes('start') && !missing.includes('start') && !/\bPORT\b/.test(plan.app.start ?? '')) {
    problems.push(
      `G1.12: app.start must make the app listen on 127.0.0.1:$PORT and say so: mention PORT in the command ` +
        `(e.g. "PORT=$PORT npm start" for a server that reads process.env.PORT, or "npx vite --host 127.0.0.1 --port $PORT")`,
    );
  }
  return problems;
}
