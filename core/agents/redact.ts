// Removes known secret values from anything dkmv writes (run folders, logs, stream copies, errors).

export const REDACTED = '[REDACTED]';
/** Shorter values are not treated as secrets (a dummy key like "x" must not mangle every log). */
export const MIN_SECRET_LENGTH = 8;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a redaction function for a fixed set of secrets (longest first, so overlaps redact fully). */
export function redactor(secrets: Iterable<string | undefined>): (text: string) => string {
  const values = [...new Set([...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH))];
  // A secret can also appear JSON-escaped (e.g. inside a stream line).
  const forms = new Set<string>();
  for (const v of values) {
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  if (forms.size === 0) return (text) => text;
  const re = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
  return (text) => text.replace(re, REDACTED);
}

export function redact(text: string, secrets: Iterable<string | undefined>): string {
  return redactor(secrets)(text);
}
