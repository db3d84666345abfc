// Custom search attributes dkmv registers on the server, so runs can be listed and filtered
// (`dkmv runs`, the Web UI) by kind, component, branch, repo, status and cost.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Which workflow family a run belongs to, so the CLI can dispatch without knowing the type. */
export const DkmvRunKind = defineSearchAttributeKey('DkmvRunKind', SearchAttributeType.KEYWORD);
export const DkmvComponent = defineSearchAttributeKey('DkmvComponent', SearchAttributeType.KEYWORD);
export const DkmvBranch = defineSearchAttributeKey('DkmvBranch', SearchAttributeType.KEYWORD);
export const DkmvRepo = defineSearchAttributeKey('DkmvRepo', SearchAttributeType.KEYWORD);
export const DkmvStatus = defineSearchAttributeKey('DkmvStatus', SearchAttributeType.KEYWORD);
export const DkmvCostUsd = defineSearchAttributeKey('DkmvCostUsd', SearchAttributeType.DOUBLE);

/** Values of DkmvRunKind. */
export type RunKind = 'component' | 'harness';

/** Every key above: the one list the dev server, compose stack and tests register. */
export const SEARCH_ATTRIBUTE_KEYS = [DkmvRunKind, DkmvComponent, DkmvBranch, DkmvRepo, DkmvStatus, DkmvCostUsd];

const CLI_TYPE_NAMES: Partial<Record<SearchAttributeType, 'Keyword' | 'Double'>> = {
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.DOUBLE]: 'Double',
};

/** Name → type, as `temporal server start-dev --search-attribute Name=Type` expects. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Double'> = Object.fromEntries(
  SEARCH_ATTRIBUTE_KEYS.map((key) => {
    const type = CLI_TYPE_NAMES[key.type];
    if (!type) throw new Error(`search attribute ${key.name}: no CLI type name for ${key.type}`);
    return [key.name, type];
  }),
);
