// LAND: unit branches are merged one by one into the integration branch with the structural merge
// (mergeBranches: git first, the symbol merge for what git leaves conflicted), aggregation owners
// first. An already-merged branch comes back up-to-date (idempotent). A conflict or a file that no
// longer parses sends the unit back to BUILD on the new head, with the report as feedback.
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { HarnessPlan } from '../../core/harness/plan-schema.js';
import { declaredDependencies, landingOrder, ownsWholeFile } from '../../core/harness/plan-views.js';
import type { LandRecord } from '../../core/harness/types.js';
import { landing } from './activities.js';
import type { BuildResult } from './build-phase.js';
import type { HarnessContext } from './context.js';

export type LandOutcome = { unit: string; landed: true } | { unit: string; landed: false; feedback: string };

export async function landUnits(
  ctx: HarnessContext,
  plan: HarnessPlan,
  built: Extract<BuildResult, { kind: 'built' }>[],
): Promise<LandOutcome[]> {
  const byUnit = new Map(built.map((b) => [b.unit, b]));
  const out: LandOutcome[] = [];
  for (const unit of landingOrder(plan, [...byUnit.keys()])) {
    out.push(await landOne(ctx, plan, byUnit.get(unit)!));
    ctx.record();
  }
  return out;
}

async function landOne(
  ctx: HarnessContext,
  plan: HarnessPlan,
  built: Extract<BuildResult, { kind: 'built' }>,
): Promise<LandOutcome> {
  for (let tries = 0; ; tries++) {
    try {
      return await tryLand(ctx, plan, built);
    } catch (err) {
      // The clone lost the merge (another host after a crash): merge again from the remote's state.
      if (tries < 2 && err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
        if (err.cause.type === 'LandingLost') continue;
      }
      throw err;
    }
  }
}

/** What every harness landing asks of the merge: no derived files from a unit, declared dependencies in. */
export function landingExtras(ctx: HarnessContext, plan: HarnessPlan, unit: string) {
  const landed = ctx.state.view.units.filter((u) => u.status === 'landed').map((u) => u.id);
  return {
    dropDerived: true,
    ensureDependencies: declaredDependencies(plan, [...landed, unit]),
    dependencyEntriesOnly: !ownsWholeFile(plan, unit, 'package.json'),
  };
}

async function tryLand(
  ctx: HarnessContext,
  plan: HarnessPlan,
  built: Extract<BuildResult, { kind: 'built' }>,
): Promise<LandOutcome> {
  const unit = ctx.state.unit(built.unit);
  const record = ctx.state.lastAttempt(built.unit)!;
  await landing(ctx.input, ctx.host, `sync ${ctx.input.branch} before landing ${built.unit}`).syncIntegration(
    ctx.repoRef,
  );
  const merged = await landing(ctx.input, ctx.host, `land ${built.unit}`).mergeBranches({
    repoDir: ctx.repoDir,
    target: ctx.input.branch,
    source: built.head,
    message: `dkmv harness: land ${built.unit} (${built.branch})`,
    ...landingExtras(ctx, plan, built.unit),
  });
  const land: LandRecord = {
    status: merged.status === 'conflicts' ? 'conflict' : merged.status,
    ...(merged.commit ? { commit: merged.commit } : {}),
    resolved: merged.resolvedConflicts.map((r) => ({ file: r.file, symbols: r.symbols })),
    conflicts: merged.conflicts.map((c) => ({ file: c.file, symbols: c.symbols })),
    unparsable: merged.unparsable,
  };
  record.land = land;
  if (merged.status === 'conflicts') {
    const lines = land.conflicts.map((c) => `- ${c.file}: ${c.symbols.join(', ')}`);
    return fail(
      built.unit,
      `Landing your branch conflicted with work already merged:\n${lines.join('\n')}\nRebuild on the new head and keep to your own symbols.`,
    );
  }
  if (merged.unparsable.length > 0) {
    land.status = 'unparsable';
    return fail(
      built.unit,
      `After merging your branch these files no longer parse:\n${merged.unparsable.map((f) => `- ${f}`).join('\n')}`,
    );
  }
  if (merged.status === 'merged' && merged.commit) {
    const pushed = await landing(
      ctx.input,
      ctx.host,
      `push ${ctx.input.branch} (${built.unit} landed)`,
    ).pushIntegration({
      ...ctx.repoRef,
      expect: merged.commit,
    });
    ctx.head = pushed.head;
    ctx.state.view.integrationHead = pushed.head;
  }
  unit.status = 'landed';
  return { unit: built.unit, landed: true };
}

function fail(unit: string, feedback: string): LandOutcome {
  return { unit, landed: false, feedback };
}
