// Model profiles for the harness roles (as dkh has them): which model each role uses by default.
// A profile can mix agents; `--role generator.agent=codex` and friends override one role.
import type { HarnessRole, RoleSettings } from '../../core/harness/types.js';

export const PROFILES = ['quality', 'balanced', 'budget'] as const;
export type Profile = (typeof PROFILES)[number];

export const PROFILE_MODELS: Record<Profile, Record<HarnessRole, string>> = {
  quality: { planner: 'claude-opus-4-6', generator: 'claude-opus-4-6' },
  balanced: { planner: 'claude-opus-4-6', generator: 'claude-sonnet-4-6' },
  budget: { planner: 'claude-sonnet-4-6', generator: 'claude-sonnet-4-6' },
};

export function profileRoles(profile: Profile): Record<HarnessRole, RoleSettings> {
  const models = PROFILE_MODELS[profile];
  return { planner: { model: models.planner }, generator: { model: models.generator } };
}
