// At start, the worker makes sure the namespace has dkmv's search attributes. Without them every
// workflow task of a run fails with BadSearchAttributes and the run hangs at "waiting for the run
// to start". Missing ones are registered where the server allows it (dev server, self-hosted),
// else the worker refuses to start, naming the exact command that registers them.
import { SearchAttributeType } from '@temporalio/common';
import { UserError } from '../core/errors.js';
import { SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTES } from '../core/temporal/search-attributes.js';
import type { TemporalTarget } from '../core/temporal/connection-options.js';

/** temporal.api.enums.v1.IndexedValueType values (KEYWORD, DOUBLE). */
const INDEXED_KEYWORD = 2;
const INDEXED_DOUBLE = 4;

/** The part of a connection's operator service this needs (a NativeConnection's, or a client's). */
export interface SearchAttributeOperator {
  listSearchAttributes(req: { namespace: string }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  addSearchAttributes(req: { namespace: string; searchAttributes: Record<string, number> }): Promise<unknown>;
}

function indexedType(type: SearchAttributeType): number {
  return type === SearchAttributeType.DOUBLE ? INDEXED_DOUBLE : INDEXED_KEYWORD;
}

/** The `temporal operator search-attribute create` commands that register `names` on `target`. */
export function createCommands(target: TemporalTarget, names: string[]): string[] {
  return names.map(
    (name) =>
      `temporal operator search-attribute create --address ${target.address} --namespace ${target.namespace} --name ${name} --type ${SEARCH_ATTRIBUTES[name]}`,
  );
}

/** dkmv's search attributes the namespace lacks. */
export async function missingSearchAttributes(op: SearchAttributeOperator, namespace: string): Promise<string[]> {
  const res = await op.listSearchAttributes({ namespace });
  const have = new Set(Object.keys(res.customAttributes ?? {}));
  return SEARCH_ATTRIBUTE_KEYS.map((k) => k.name).filter((name) => !have.has(name));
}

/**
 * Registers what is missing; returns the names it registered. A server that refuses (Temporal
 * Cloud, a locked-down cluster) is a UserError with the commands to run as its administrator.
 */
export async function ensureSearchAttributes(op: SearchAttributeOperator, target: TemporalTarget): Promise<string[]> {
  const missing = await missingSearchAttributes(op, target.namespace);
  if (!missing.length) return [];
  const searchAttributes = Object.fromEntries(
    SEARCH_ATTRIBUTE_KEYS.filter((k) => missing.includes(k.name)).map((k) => [k.name, indexedType(k.type)]),
  );
  try {
    await op.addSearchAttributes({ namespace: target.namespace, searchAttributes });
  } catch (err) {
    throw new UserError(
      `namespace "${target.namespace}" at ${target.address} lacks dkmv's search attributes ${missing.join(', ')}, and the server did not let this worker add them (${(err as Error).message.split('\n')[0]}); every run would hang at its start`,
      {
        hint: `register them once (as the namespace's administrator; on Temporal Cloud: tcld namespace search-attributes add), then start the worker again:\n    ${createCommands(target, missing).join('\n    ')}`,
      },
    );
  }
  // Registration is eventually visible: wait until the namespace lists them.
  for (let i = 0; i < 50 && (await missingSearchAttributes(op, target.namespace)).length; i++)
    await new Promise((r) => setTimeout(r, 100));
  return missing;
}
