// What a build's kind (plan `app.kind`) means for the gates: which app fields Gate 1 requires, how
// SMOKE tests it, and which evidence Gate 4 accepts from the evaluators. Pure.
import type { AppKind } from './plan-schema.js';

export interface KindRules {
  /** `app` fields G1.12 requires (a `start` must also mention $PORT). */
  appFields: readonly ('install' | 'start')[];
  /** SMOKE: `browser` loads the page in Chromium; `http` starts the service and probes it; `check` = install + check. */
  smoke: 'browser' | 'http' | 'check';
  /** G1.10: the overall criteria must name "no console errors" (only a page has a console). */
  consoleCriterion: boolean;
  /** Gate 4: evaluator evidence that counts (`screenshot` mandatory for web). */
  evidence: 'screenshot' | 'http' | 'command';
}

const RULES: Record<AppKind, KindRules> = {
  web: { appFields: ['install', 'start'], smoke: 'browser', consoleCriterion: true, evidence: 'screenshot' },
  service: { appFields: ['install', 'start'], smoke: 'http', consoleCriterion: false, evidence: 'http' },
  cli: { appFields: ['install'], smoke: 'check', consoleCriterion: false, evidence: 'command' },
  library: { appFields: ['install'], smoke: 'check', consoleCriterion: false, evidence: 'command' },
};

export function kindRules(kind: AppKind | undefined): KindRules {
  return RULES[kind ?? 'web'];
}
