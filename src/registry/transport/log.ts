import type { Logger } from '../../log.js';
import { DOCKER_HUB_API_HOST } from '../../reference/parse.js';
import { redactUrl } from './errors.js';
import type { RoundTrip } from './types.js';

/** Docker Hub's pull quota as its `ratelimit-*` headers state it. */
export interface RateLimit {
  remaining: number;
  limit?: number;
  /** The window in seconds (`w=21600`). */
  windowSeconds?: number;
}

/** Parses `ratelimit-remaining: 76;w=21600` (and `ratelimit-limit`); undefined when absent. */
export function parseRateLimit(headers: Record<string, string>): RateLimit | undefined {
  const remaining = /^\s*(\d+)(?:;w=(\d+))?/.exec(headers['ratelimit-remaining'] ?? '');
  if (!remaining) return undefined;
  const out: RateLimit = { remaining: Number(remaining[1]) };
  const limit = /^\s*(\d+)/.exec(headers['ratelimit-limit'] ?? '');
  if (limit) out.limit = Number(limit[1]);
  if (remaining[2]) out.windowSeconds = Number(remaining[2]);
  return out;
}

// Below this many pulls left, the headroom is reported as a warning instead of info.
const LOW_HEADROOM = 10;

/**
 * Logs each request line (method, redacted URL, status) when debugging is on, and Docker Hub's
 * remaining pull quota whenever it changes. The debug line is only built when it will be shown.
 * The quota is read from Docker Hub's answers only, and warned about once: any other registry
 * could send the headers, and a warning per answer would flood the log and fill the action's
 * annotation slots ahead of real findings.
 */
export function withLogging(inner: RoundTrip, logger: Logger, apiHost: string): RoundTrip {
  const readsQuota = apiHost === DOCKER_HUB_API_HOST;
  let lastRemaining: number | undefined;
  let warned = false;
  return async (req) => {
    const started = logger.isDebug ? performance.now() : 0;
    const res = await inner(req);
    if (logger.isDebug) {
      const ms = Math.round(performance.now() - started);
      logger.debug(`${req.method} ${redactUrl(req.url)} → ${res.status} (${ms} ms)`);
    }
    const rate = readsQuota ? parseRateLimit(res.headers) : undefined;
    if (rate && rate.remaining !== lastRemaining) {
      lastRemaining = rate.remaining;
      const of = rate.limit !== undefined ? ` of ${rate.limit}` : '';
      const per = rate.windowSeconds !== undefined ? ` per ${rate.windowSeconds / 3600} h` : '';
      const line = `Docker Hub pull limit: ${rate.remaining}${of} pulls left${per}`;
      if (rate.remaining < LOW_HEADROOM && !warned) {
        warned = true;
        logger.warning(line);
      } else logger.info(line);
    }
    return res;
  };
}
