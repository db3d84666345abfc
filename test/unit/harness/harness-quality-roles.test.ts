// The evaluator and fixer role components: they plan and render with the variables the harness
// passes (evaluatorVars / fixerVars), their prompts start with the exact marker line, and their
// model scripts have a session for that marker. Batching and the prompt's failure lists too.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatorMarker, fixerMarker } from '../../../core/harness/markers.js';
import { evaluatorVars, planEvalBatches } from '../../../core/harness/eval-report.js';
import { formatSmokeFailures } from '../../../core/harness/smoke-report.js';
import { fixerVars, formatCriterionFailures } from '../../../core/harness/verdict.js';
import { matchSession } from '../../../core/model-script/match.js';
import { loadModelScript } from '../../../core/model-script/parse.js';
import { DKMV_HOME } from '../../../core/project.js';
import { renderRole } from './render-role.js';

const app = { install: 'npm install --no-audit --no-fund', start: 'npm start', ready_path: '/' };

const render = renderRole;

describe('evaluation batches', () => {
  it('groups units by ≤3 and adds the integration batch with the design-quality row', () => {
    const units = ['WU-01', 'WU-02', 'WU-03', 'WU-04'].map((id) => ({
      id,
      criteria: [{ id: `${id}-C1`, text: 'x', kind: 'ui' as const }],
    }));
    const batches = planEvalBatches(2, units, [{ id: 'OV-C1', text: 'starts', kind: 'build' }]);
    expect(batches.map((b) => [b.batchId, b.units, b.criteria.map((c) => c.id)])).toEqual([
      ['r2-b1', ['WU-01', 'WU-02', 'WU-03'], ['WU-01-C1', 'WU-02-C1', 'WU-03-C1']],
      ['r2-b2', ['WU-04'], ['WU-04-C1']],
      ['r2-int', [], ['OV-C1', 'OV-DESIGN']],
    ]);
    expect(batches[0]!.criteria[1]!.unit).toBe('WU-02');
  });
});

describe('role components', () => {
  it('the evaluator prompt starts with its marker, carries the criteria, port and browser instructions', async () => {
    const [batch] = planEvalBatches(
      1,
      [{ id: 'WU-02', criteria: [{ id: 'WU-02-C1', text: 'Add one increments', kind: 'ui' }] }],
      [],
    );
    const task = render(
      'components/harness/evaluator',
      evaluatorVars({ batch: batch!, spec: 'A counter.', app, port: 45123 }),
    );
    expect(task.prompt!.split('\n')[0]).toBe(evaluatorMarker('r1-b1', 1));
    expect(task.prompt).toContain('- WU-02-C1 [ui] (WU-02): Add one increments');
    expect(task.prompt).toMatch(/playwright-cli open "\$DKMV_APP_URL"/);
    expect(task.prompt).toMatch(/require\('playwright-core'\)/);
    expect(task.prompt).toContain('.agent/eval/r1-b1/s1.png');
    expect(task.prompt).not.toContain('previous report was rejected');
    expect(task.inputs.filter((i) => i.type === 'env').map((i) => [i.key, i.value])).toEqual([
      // a cache the sandbox user can write (the browser image's ~/.npm belonged to root)
      ['npm_config_cache', '/tmp/dkmv-npm-cache'],
      ['PORT', '45123'],
      ['DKMV_APP_URL', 'http://127.0.0.1:45123/'],
    ]);
    expect(task.outputs.map((o) => [o.workspace_path, o.required, o.save])).toEqual([
      ['.agent/eval_report.json', true, true],
    ]);
    const rerun = render(
      'components/harness/evaluator',
      evaluatorVars({ batch: batch!, spec: 'A counter.', app, port: 45123, feedback: '1. no screenshots' }),
    );
    expect(rerun.prompt).toContain('previous report was rejected');
    expect(rerun.prompt).toContain('1. no screenshots');
    expect(task.prompt).not.toContain('previous_eval_report');
    const again = render(
      'components/harness/evaluator',
      evaluatorVars({ batch: batch!, spec: 'A counter.', app, port: 45123, previousReport: 'the report of r0-b1' }),
    );
    expect(again.prompt).toContain('`.agent/previous_eval_report.json` is the report of r0-b1.');
    expect(again.prompt).toContain('re-test every criterion it failed');
    expect(again.prompt).toContain('never copy a score');

    const script = await loadModelScript(path.join(DKMV_HOME, 'components/harness/evaluator/model-script.yaml'));
    expect(matchSession(script, task.prompt!)?.index).toBe(0);
  });

  it('the fixer prompt starts with its marker and quotes the failures verbatim', async () => {
    const failures = formatCriterionFailures([
      {
        criterion_id: 'WU-02-C2',
        text: 'Reset sets the count to 0',
        unit: 'WU-02',
        score: 3,
        passed: false,
        evidence: 'clicked #reset: #count stayed 1',
        fix_hint: 'public/app.js — add a click listener on #reset',
        evidence_refs: ['s3'],
      },
    ]);
    const task = render(
      'components/harness/fixer',
      fixerVars({ unit: 'WU-02', round: 2, brief: 'You own public/app.js.', failures, port: 45124, app }),
    );
    expect(task.prompt!.split('\n')[0]).toBe(fixerMarker('WU-02', 2));
    expect(task.prompt).toContain(
      '- WU-02-C2 (score 3): Reset sets the count to 0\n  Evidence: clicked #reset: #count stayed 1',
    );
    expect(task.prompt).toContain('Fix hint: public/app.js — add a click listener on #reset');
    expect(task.prompt).toMatch(/playwright-cli open "\$DKMV_APP_URL"/);
    const script = await loadModelScript(path.join(DKMV_HOME, 'components/harness/fixer/model-script.yaml'));
    expect(matchSession(script, task.prompt!)?.index).toBe(0);

    const integration = render(
      'components/harness/fixer',
      fixerVars({
        unit: 'integration',
        round: 1,
        brief: '',
        failures: formatSmokeFailures([
          { unit: 'integration', error: 'console error: boom', evidence: 'at /app.js:1:1' },
        ]),
        port: 45125,
        app,
      }),
    );
    expect(integration.prompt!.split('\n')[0]).toBe('dkmv-harness role=fixer unit=integration round=1');
    expect(integration.prompt).toContain('No unit owns these failures');
    expect(integration.prompt).toContain('- Smoke test: console error: boom\n  Evidence:\n    at /app.js:1:1');
  });
});
