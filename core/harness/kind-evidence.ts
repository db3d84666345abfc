// Gate 4's evidence rule for builds that are not web pages (plan `app.kind` service, cli, library):
// instead of screenshots, the evaluator records what it did — HTTP requests with their responses
// (service), commands with exit code and output (cli, library) — in the report's `evidence[]`, and
// every criterion references at least one entry. Pure.
import { z } from 'zod';
import { kindRules } from './app-kind.js';
import type { AppKind } from './plan-schema.js';

/** One recorded exchange: `http` (request, status, response) or `command` (command, exit code, output). */
export function buildEvidenceSchema() {
  return z.object({
    id: z.string().min(1),
    kind: z.enum(['http', 'command']),
    request: z.string().optional(),
    status: z.number().int().optional(),
    response: z.string().optional(),
    command: z.string().optional(),
    exit_code: z.number().int().optional(),
    output: z.string().optional(),
  });
}
export type EvidenceEntry = z.infer<ReturnType<typeof buildEvidenceSchema>>;

/** True when the build's kind takes screenshots as its evidence (web, and runs without a kind). */
export function screenshotKind(kind: AppKind | undefined): boolean {
  return kindRules(kind).evidence === 'screenshot';
}

/** Why an entry is not usable evidence for this kind; undefined = usable. */
function entryProblem(e: EvidenceEntry, kind: AppKind | undefined): string | undefined {
  const want = kindRules(kind).evidence;
  if (e.kind !== want) return `is ${e.kind} evidence; a ${kind} build records ${want} evidence`;
  if (want === 'http' && (!e.request?.trim() || e.status === undefined || e.response === undefined))
    return 'needs request ("GET /path"), status and response';
  if (want === 'command' && (!e.command?.trim() || e.exit_code === undefined || e.output === undefined))
    return 'needs command, exit_code and output';
  return undefined;
}

/** Ids of the entries that count as evidence for this kind. */
export function usableEvidenceIds(evidence: EvidenceEntry[], kind: AppKind | undefined): Set<string> {
  return new Set(evidence.filter((e) => !entryProblem(e, kind)).map((e) => e.id));
}

/** Gate 4 complaints about `evidence[]` for a non-web build: at least one usable entry, each one complete. */
export function evidenceComplaints(evidence: EvidenceEntry[], kind: AppKind | undefined): string[] {
  const want = kindRules(kind).evidence;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of evidence) {
    if (seen.has(e.id)) out.push(`evidence id "${e.id}" is used twice`);
    seen.add(e.id);
    const problem = entryProblem(e, kind);
    if (problem) out.push(`evidence ${e.id} ${problem}`);
  }
  if (usableEvidenceIds(evidence, kind).size === 0) {
    out.push(
      want === 'http'
        ? 'no HTTP evidence: record at least one request with its status and response in evidence[]'
        : 'no command evidence: record at least one command with its exit code and output in evidence[]',
    );
  }
  return out;
}
