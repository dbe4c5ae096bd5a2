import { sleepUnlessAborted } from './deadline.js';
import { RegistryError } from './errors.js';
import { discardBody, isReplayable, type RoundTrip, type TransportRequest } from './types.js';

/** How the transport retries temporary failures. */
export interface RetryOptions {
  /** Total attempts per request, the first included. Default: 5 (skopeo retries a 429 five times). */
  attempts?: number;
  /** Delay before the first retry, doubled each time. Default: 1000 ms. */
  baseDelayMs?: number;
  /** Upper bound of any delay, Retry-After included. Default: 60000 ms. */
  maxDelayMs?: number;
  /** Waits; injected by tests so they check the scheduled delays without sleeping. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default: Math.random. */
  random?: () => number;
  /** Clock for HTTP-date Retry-After values. Default: Date.now. */
  now?: () => number;
}

type ResolvedRetry = Required<RetryOptions>;

/** Statuses that a later attempt may not get: timeouts, rate limits, and gateway trouble. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** Fills in the defaults of RetryOptions. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetry {
  return {
    attempts: Math.max(1, options.attempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}

/**
 * Retries 408/429/5xx answers and temporary network errors with exponential backoff and jitter,
 * honouring Retry-After. A request whose body is a stream is sent once: it cannot be replayed,
 * so the caller (the blob copy) restarts the whole upload instead; so is one marked `retry: false`.
 * A wait ends early when the request's signal aborts (the copy's overall deadline).
 */
export function withRetry(inner: RoundTrip, options: RetryOptions = {}): RoundTrip {
  const opts = resolveRetryOptions(options);
  return async (req: TransportRequest) => {
    const canRetry = req.retry !== false && isReplayable(req.body);
    for (let attempt = 1; ; attempt++) {
      const last = !canRetry || attempt >= opts.attempts;
      let res: Awaited<ReturnType<RoundTrip>>;
      try {
        res = await inner(req);
      } catch (err: unknown) {
        if (last || !(err instanceof RegistryError) || !err.temporary) throw err;
        await sleepUnlessAborted(opts.sleep, retryDelay(attempt, undefined, opts), req.signal);
        continue;
      }
      if (last || !RETRY_STATUSES.has(res.status)) return res;
      discardBody(res);
      await sleepUnlessAborted(opts.sleep, retryDelay(attempt, res.headers['retry-after'], opts), req.signal);
    }
  };
}

/**
 * The wait before retry number `attempt` (1-based): Retry-After when the server sent one
 * (seconds or an HTTP date), otherwise base × 2^(attempt-1) with ±50% jitter; never above the maximum.
 */
export function retryDelay(attempt: number, retryAfter: string | undefined, options: ResolvedRetry): number {
  const fromHeader = parseRetryAfter(retryAfter, options.now());
  if (fromHeader !== undefined) return Math.min(fromHeader, options.maxDelayMs);
  const exponential = options.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential * (0.5 + options.random());
  return Math.round(Math.min(jittered, options.maxDelayMs));
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
