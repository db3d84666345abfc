// Credentials on the worker, resolved at run time, and redaction of their values from everything
// the worker writes (run folder, logs, error messages).
import { redact, resolveCredentials, secretValues, type Credentials } from '../../core/agents/index.js';
import { runProcess } from '../process/launcher.js';

let cached: { at: number; creds: Credentials } | undefined;
let known: string[] = [];

/** Credentials from the worker's environment and credential files (cached for a minute). */
export async function workerCredentials(): Promise<Credentials> {
  if (!cached || Date.now() - cached.at > 60_000) {
    cached = { at: Date.now(), creds: await resolveCredentials({ useGhCli: true, ghAuthToken }) };
    rememberSecrets(secretValues(cached.creds));
  }
  return cached.creds;
}

/** `gh auth token`, started by the launcher (a fork of the worker costs far more than the call). */
async function ghAuthToken(): Promise<string | undefined> {
  try {
    const r = await runProcess('gh', ['auth', 'token'], { timeoutMs: 5000 });
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  } catch {
    return undefined; // no gh on this machine
  }
}

/** Adds values to redact (e.g. tokens an adapter put into an environment). */
export function rememberSecrets(values: string[]): void {
  known = [...new Set([...known, ...values])];
}

export function redactSecrets(text: string): string {
  return known.length ? redact(text, known) : text;
}
