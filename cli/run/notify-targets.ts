// The webhooks a run notifies (the `notify` setting: --notify, DKMV_NOTIFY_URL, .dkmv/config.json)
// and the links their events carry: the Web UI and, where known, Temporal's HTTP API.
import type { ResolvedConfig } from '../../core/config/index.js';
import type { NotifyTargets } from '../../core/notify/types.js';
import { temporalTargetFromEnv } from '../../core/temporal/connection-options.js';
import { httpApiUrl, webUiUrl } from '../stack/local-stack.js';

export function notifyTargets(config: ResolvedConfig): NotifyTargets | undefined {
  const urls = config.values.notify ?? [];
  if (!urls.length) return undefined;
  const target = temporalTargetFromEnv();
  const http = httpApiUrl(target, config.values.temporal_http_url);
  return {
    urls,
    webUiUrl: config.values.web_ui_url ?? webUiUrl(target),
    ...(http ? { httpApiUrl: http } : {}),
    namespace: target.namespace,
  };
}
