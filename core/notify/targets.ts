// Webhook targets: which body shape a URL gets, how a URL is named in status (host only: a Slack
// webhook's path is its secret), and the parsing of the `notify` setting.

/** Slack incoming webhooks (hooks.slack.com) get Slack's `text` + `blocks` body; others plain JSON. */
export function isSlackWebhook(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === 'hooks.slack.com';
  } catch {
    return false;
  }
}

/** A URL as status and errors name it: scheme and host, never path, query or credentials. */
export function targetLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'an invalid URL';
  }
}

/** Splits a `notify` value (commas or whitespace between URLs) and checks each is http(s). */
export function parseNotifyUrls(raw: string): { value: string[] } | { error: string } {
  const urls = raw
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { error: `has "${targetLabel(url)}": each entry must be an http(s) URL` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return { error: `has a ${parsed.protocol} URL: each entry must be an http(s) URL` };
  }
  return { value: [...new Set(urls)] };
}
