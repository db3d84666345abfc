// Custom search attributes dkmv registers on the server, so runs can be listed and filtered
// (`dkmv runs`, the Web UI) by component, branch, repo, status and cost.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const DkmvComponent = defineSearchAttributeKey('DkmvComponent', SearchAttributeType.KEYWORD);
export const DkmvBranch = defineSearchAttributeKey('DkmvBranch', SearchAttributeType.KEYWORD);
export const DkmvRepo = defineSearchAttributeKey('DkmvRepo', SearchAttributeType.KEYWORD);
export const DkmvStatus = defineSearchAttributeKey('DkmvStatus', SearchAttributeType.KEYWORD);
export const DkmvCostUsd = defineSearchAttributeKey('DkmvCostUsd', SearchAttributeType.DOUBLE);

/** Name → type, as `temporal server start-dev --search-attribute Name=Type` expects. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Double'> = {
  DkmvComponent: 'Keyword',
  DkmvBranch: 'Keyword',
  DkmvRepo: 'Keyword',
  DkmvStatus: 'Keyword',
  DkmvCostUsd: 'Double',
};
