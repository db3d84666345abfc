// bench:fanout's model script, generated per N: a planner whose plan.json has N work units, each
// owning one file of its own (public/unit-K.js, so landing is N trivial merges), and one generator
// session per unit (read, write its file, write its report, final text). Every turn of every
// session answers after `delayMs`, like a model that thinks. The plan passes Gate 1 (checked here
// before the bench starts anything, so a broken generator fails fast rather than after a planner run).
import { stringify } from 'yaml';
import { checkPlan, formatProblems } from '../../core/harness/gate1.js';
import { generatorMarker, plannerMarker } from '../../core/harness/markers.js';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';

export const FANOUT_PROMPT = 'Build N independent browser modules, one per work unit, served as static files.';

const unitId = (k: number): string => `WU-${String(k).padStart(2, '0')}`;
const unitFile = (k: number): string => `public/unit-${String(k).padStart(2, '0')}.js`;
const unitSymbol = (k: number): string => `unit${String(k).padStart(2, '0')}`;

function criteria(k: number): HarnessPlan['units'][number]['criteria'] {
  const texts = [
    `${unitFile(k)} exports a function named ${unitSymbol(k)}`,
    `${unitSymbol(k)}() returns the number ${k} when it is called`,
    `${unitFile(k)} loads in the browser as an ES module without errors`,
    `${unitFile(k)} has no imports from other units' files`,
    `${unitFile(k)} starts with a one-line comment naming its unit`,
  ];
  return texts.map((text, i) => ({ id: `${unitId(k)}-C${i + 1}`, text, kind: 'behavior' as const }));
}

/** A plan with `n` units; WU-01 also owns the entry point (Gate 1 wants one aggregation owner). */
export function fanoutPlan(n: number): HarnessPlan {
  const ks = Array.from({ length: n }, (_, i) => i + 1);
  const units = ks.map((k) => ({
    id: unitId(k),
    title: `Module ${k}`,
    complexity: 'low' as const,
    owns: k === 1 ? ['public/app.js', unitFile(k)] : [unitFile(k)],
    creates: [{ symbol: unitSymbol(k), file: unitFile(k), export: unitSymbol(k) }],
    criteria: criteria(k),
    dependencies: {},
    devDependencies: {},
  }));
  return {
    version: 1,
    spec: {
      overview: `A static page with ${n} independent ES modules, one per work unit, for the fan-out bench.`,
      stack: { backend: 'any static file server', build: 'none (no dependencies)' },
      features: [{ id: 'F1', name: 'Modules', description: 'One exported function per unit' }],
      data_model: 'None.',
    },
    app: {
      install: 'true',
      start: 'npx --yes http-server -a 127.0.0.1 -p $PORT',
      port: 4173,
      ready_path: '/',
      start_timeout_s: 60,
    },
    // Syntax-checks every module (the bench builds without the quality loop, so CHECK does not run).
    check: { commands: [`node --check ${ks.map(unitFile).join(' && node --check ')}`], timeout_s: 60 },
    units,
    aggregation_symbols: [{ symbol: 'main', file: 'public/app.js', owner: 'WU-01', wires: [] }],
    file_manifest: [
      { symbol: 'main', file: 'public/app.js', export: 'main', owner: 'WU-01' },
      ...ks.map((k) => ({ symbol: unitSymbol(k), file: unitFile(k), export: unitSymbol(k), owner: unitId(k) })),
    ],
    shared_contracts: { data_types: [], functions: [], api: [] },
    overall_criteria: [
      { id: 'OV-C1', text: 'The static server starts and serves every module', kind: 'build' },
      { id: 'OV-C2', text: 'The page loads with no console errors at all', kind: 'behavior' },
      { id: 'OV-C3', text: 'Every unit module can be imported on its own', kind: 'behavior' },
    ],
  };
}

function generatorSession(k: number, delayMs: number): object {
  const report = {
    unit_id: unitId(k),
    symbols_implemented: [unitSymbol(k)],
    criteria_addressed: [{ id: `${unitId(k)}-C1`, how: 'implemented as planned' }],
    notes: 'scripted (bench:fanout)',
  };
  return {
    match: generatorMarker(unitId(k), 1, 1),
    delay_ms: delayMs,
    usage: { input_tokens: 5000, output_tokens: 900 },
    turns: [
      { bash: 'ls -la && cat README.md' },
      {
        write: {
          path: unitFile(k),
          content: `// ${unitId(k)}: module ${k} of the fan-out bench.\nexport function ${unitSymbol(k)}() {\n  return ${k};\n}\n`,
        },
      },
      { write: { path: '.agent/generator_report.json', content: JSON.stringify(report) } },
      { text: `${unitId(k)} done: ${unitFile(k)} written.` },
    ],
  };
}

/** The model script (YAML text) for a harness run with `n` generators. */
export function fanoutScript(n: number, delayMs: number): string {
  const plan = fanoutPlan(n);
  const gate = checkPlan(plan);
  if (!gate.ok) throw new Error(`bench:fanout's own plan fails Gate 1:\n${formatProblems(gate.problems)}`);
  const planner = {
    match: plannerMarker(1),
    delay_ms: delayMs,
    usage: { input_tokens: 4000, output_tokens: 1800 },
    turns: [
      { bash: 'ls -la' },
      { write: { path: '.agent/plan.json', content: `${JSON.stringify(plan, null, 2)}\n` } },
      { text: `Plan written to .agent/plan.json: ${n} units.` },
    ],
  };
  const generators = Array.from({ length: n }, (_, i) => generatorSession(i + 1, delayMs));
  return `# Generated by bench/fanout (N=${n}, ${delayMs} ms per turn).\n${stringify({ sessions: [planner, ...generators] })}`;
}
