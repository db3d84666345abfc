// Credentials on the worker, resolved at run time, and redaction of their values from everything
// the worker writes (run folder, logs, error messages).
import { redact, resolveCredentials, secretValues, type Credentials } from '../../core/agents/index.js';

let cached: { at: number; creds: Credentials } | undefined;
let known: string[] = [];

/** Credentials from the worker's environment and credential files (cached for a minute). */
export async function workerCredentials(): Promise<Credentials> {
  if (!cached || Date.now() - cached.at > 60_000) {
    cached = { at: Date.now(), creds: await resolveCredentials({ useGhCli: true }) };
    rememberSecrets(secretValues(cached.creds));
  }
  return cached.creds;
}

/** Adds values to redact (e.g. tokens an adapter put into an environment). */
export function rememberSecrets(values: string[]): void {
  known = [...new Set([...known, ...values])];
}

export function redactSecrets(text: string): string {
  return known.length ? redact(text, known) : text;
}
