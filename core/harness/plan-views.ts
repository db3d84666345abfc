// What the workflow and the generator prompts derive from an accepted plan: the ownership map for
// checkBranchOwnership, the landing order, one unit's brief, and the readable plan.md.
import type { HarnessPlan, WorkUnit } from './plan-schema.js';
import type { OwnerManifest } from './verdict-owners.js';

/** Every unit's `owns` keys mapped to the unit id (the OwnershipMap of core/merge/ownership.ts). */
export function ownershipMap(plan: HarnessPlan): Record<string, string> {
  const map: Record<string, string> = {};
  for (const u of plan.units) for (const key of u.owns) map[key] = u.id;
  return map;
}

/**
 * Who owns a file, for mapping smoke errors and failing overall criteria to a unit: whole files a
 * unit owns, and manifest files with a single owner (a file several units add symbols to names no
 * one; its failures go to the aggregation owner).
 */
export function ownerManifest(plan: HarnessPlan): OwnerManifest {
  const owners = new Map<string, Set<string>>();
  const add = (file: string, unit: string) => owners.set(file, (owners.get(file) ?? new Set()).add(unit));
  for (const u of plan.units) for (const key of u.owns) if (!key.includes(':')) add(key, u.id);
  for (const r of plan.file_manifest) add(r.file, r.owner);
  const fileOwners: Record<string, string> = {};
  for (const [file, units] of owners) if (units.size === 1) fileOwners[file] = [...units][0]!;
  const aggregationOwner = plan.aggregation_symbols[0]?.owner;
  return { fileOwners, ...(aggregationOwner ? { aggregationOwner } : {}) };
}

/** Aggregation owners land first (they hold the wiring), then ascending unit id. */
export function landingOrder(plan: HarnessPlan, unitIds: readonly string[]): string[] {
  const aggregators = new Set(plan.aggregation_symbols.map((a) => a.owner));
  return [...unitIds].sort((a, b) => {
    const fa = aggregators.has(a) ? 0 : 1;
    const fb = aggregators.has(b) ? 0 : 1;
    return fa !== fb ? fa - fb : a < b ? -1 : a > b ? 1 : 0;
  });
}

function table(header: string[], rows: string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The shared sections every generator sees: spec, aggregation table, manifest, contracts. */
export function sharedBrief(plan: HarnessPlan): string {
  const { spec } = plan;
  const parts = [
    `## Overview\n${spec.overview}`,
    `## Stack\n${Object.entries(spec.stack)
      .map(([k, v]) => `- ${k}: ${v}`)
      .join('\n')}`,
  ];
  if (spec.design_direction) parts.push(`## Design direction\n${JSON.stringify(spec.design_direction, null, 2)}`);
  parts.push(`## Data model\n${spec.data_model || '(none)'}`);
  if (spec.api_surface) parts.push(`## API surface\n${spec.api_surface}`);
  parts.push(
    `## Aggregation symbols (only their owner writes them)\n${table(
      ['Symbol', 'File', 'Owner', 'Wires together'],
      plan.aggregation_symbols.map((a) => [a.symbol, a.file, a.owner, a.wires.join(', ')]),
    )}`,
    `## File manifest (exact paths and export names: import other units' symbols from here)\n${table(
      ['Symbol', 'File', 'Export', 'Owner'],
      plan.file_manifest.map((r) => [r.symbol, r.file, r.export, r.owner]),
    )}`,
  );
  const sc = plan.shared_contracts;
  if (sc.functions.length + sc.data_types.length + sc.api.length > 0) {
    parts.push(`## Shared contracts\n${JSON.stringify(sc, null, 2)}`);
  }
  return parts.join('\n\n');
}

/** One unit's own section: what it owns and creates, and its acceptance criteria. */
export function unitBrief(unit: WorkUnit): string {
  return [
    `## Your unit: ${unit.id} — ${unit.title} (${unit.complexity})`,
    `You own exclusively (change nothing else):\n${unit.owns.map((o) => `- ${o}`).join('\n')}`,
    unit.creates.length
      ? `You create:\n${unit.creates.map((c) => `- ${c.symbol} in ${c.file} (export ${c.export})`).join('\n')}`
      : '',
    `Acceptance criteria:\n${unit.criteria.map((c) => `- ${c.id} [${c.kind}] ${c.text}`).join('\n')}`,
    dependencyLines(unit),
  ]
    .filter(Boolean)
    .join('\n\n');
}

function dependencyLines(unit: WorkUnit): string {
  const entries = [
    ...Object.entries(unit.dependencies ?? {}).map(([n, v]) => `- ${n}@${v}`),
    ...Object.entries(unit.devDependencies ?? {}).map(([n, v]) => `- ${n}@${v} (dev)`),
  ];
  return entries.length
    ? `Packages declared for your unit (the landing writes them into package.json):\n${entries.join('\n')}`
    : 'Packages declared for your unit: none (use what the stack already has).';
}

/** docs/harness/plan.md: the accepted plan for people. */
export function renderPlanMd(plan: HarnessPlan): string {
  const units = plan.units.map((u) =>
    [
      `### ${u.id}: ${u.title} (${u.complexity})`,
      `Owns: ${u.owns.map((o) => `\`${o}\``).join(', ')}`,
      ...u.criteria.map((c) => `- ${c.id} [${c.kind}] ${c.text}`),
    ].join('\n'),
  );
  return [
    '# Harness plan',
    '',
    plan.spec.overview,
    '',
    `App: install \`${plan.app.install ?? ''}\`, start \`${plan.app.start ?? ''}\`, port ${plan.app.port ?? ''}`,
    '',
    '## Features',
    ...plan.spec.features.map((f) => `- ${f.id} ${f.name}: ${f.description}`),
    '',
    '## Work units',
    ...units.flatMap((u) => [u, '']),
    '## Aggregation symbols',
    table(
      ['Symbol', 'File', 'Owner', 'Wires'],
      plan.aggregation_symbols.map((a) => [a.symbol, a.file, a.owner, a.wires.join(', ')]),
    ),
    '',
    '## File manifest',
    table(
      ['Symbol', 'File', 'Export', 'Owner'],
      plan.file_manifest.map((r) => [r.symbol, r.file, r.export, r.owner]),
    ),
    '',
    '## Overall criteria',
    ...plan.overall_criteria.map((c) => `- ${c.id} [${c.kind}] ${c.text}`),
    '',
  ].join('\n');
}

/** The dependencies the plan declares for `unitIds`, merged (the first declaration of a name wins). */
export function declaredDependencies(
  plan: HarnessPlan,
  unitIds: readonly string[],
): { dependencies: Record<string, string>; devDependencies: Record<string, string> } {
  const out = { dependencies: {} as Record<string, string>, devDependencies: {} as Record<string, string> };
  for (const u of plan.units) {
    if (!unitIds.includes(u.id)) continue;
    for (const field of ['dependencies', 'devDependencies'] as const) {
      for (const [name, version] of Object.entries(u[field] ?? {})) out[field][name] ??= version;
    }
  }
  return out;
}

/** True when `unit` owns the whole of `file` (the file itself or a folder above it). */
export function ownsWholeFile(plan: HarnessPlan, unit: string, file: string): boolean {
  const spec = plan.units.find((u) => u.id === unit);
  return spec?.owns.some((k) => k === file || (k.endsWith('/') && file.startsWith(k))) ?? false;
}
