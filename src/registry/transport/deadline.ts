/**
 * Time bounds of the transport. A registry that trickles a byte a second resets every idle
 * timer, so idle timers alone let a server hold a copy forever. Here:
 * - every request that is not a blob stream (manifests, HEADs, tokens, upload sessions) has a
 *   total deadline covering its headers and its whole body, retried like any temporary failure;
 * - every request carries the copy's own signal (its overall deadline), so nothing outlives it.
 * Blob streams are held to a minimum throughput instead (blob-upload.ts, createStallWatch).
 */
import type { Readable } from 'node:stream';
import { RegistryError } from './errors.js';
import { isReplayable, type RoundTrip, type TransportRequest } from './types.js';

/** Total deadline of one non-stream request when none is given: 60 s. */
export const DEFAULT_REQUEST_DEADLINE_MS = 60_000;

/** True for requests that move a blob body (a streamed upload, or a GET marked `stream`). */
export function isStreamRequest(req: TransportRequest): boolean {
  return req.stream === true || !isReplayable(req.body);
}

/**
 * Gives every non-stream request `ms` to complete, body included: past it, the request is
 * aborted (or its body destroyed) with a temporary RegistryError, which the retry layer above
 * retries. The timer stops when the body ends or is discarded.
 */
export function withRequestDeadline(inner: RoundTrip, ms: number = DEFAULT_REQUEST_DEADLINE_MS): RoundTrip {
  return async (req) => {
    if (isStreamRequest(req)) return inner(req);
    const controller = new AbortController();
    const expired = () =>
      new RegistryError({
        method: req.method,
        url: req.url,
        reason: `no complete answer within ${ms} ms`,
        temporary: true,
      });
    let body: Readable | undefined;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (body) body.destroy(expired());
      else controller.abort(expired());
    }, ms);
    timer.unref();
    const signal = req.signal ? AbortSignal.any([req.signal, controller.signal]) : controller.signal;
    try {
      const res = await inner({ ...req, signal });
      body = res.body;
      const stop = () => clearTimeout(timer);
      body.once('close', stop);
      body.once('end', stop);
      return res;
    } catch (err: unknown) {
      clearTimeout(timer);
      throw timedOut ? expired() : err;
    }
  };
}

/**
 * Adds the copy's `signal` to every request (a request's own signal is kept too), so the
 * overall deadline aborts whatever is in flight. Requests marked `detached` (cancelling an upload
 * session after a failure) are left out: they still run, under their own request deadline.
 */
export function withJobSignal(inner: RoundTrip, signal: AbortSignal | undefined): RoundTrip {
  if (!signal) return inner;
  return (req) => {
    if (req.detached) return inner(req);
    if (signal.aborted) return Promise.reject(signal.reason);
    return inner({ ...req, signal: req.signal ? AbortSignal.any([req.signal, signal]) : signal });
  };
}

/** Resolves after `sleep(ms)`, or rejects with the signal's reason as soon as it aborts. */
export async function sleepUnlessAborted(
  sleep: (ms: number) => Promise<void>,
  ms: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) throw signal.reason;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
