/**
 * The one authorised-JSON-request helper every Google REST client here is built on: a Bearer
 * token from a GoogleTokenSource (refreshed once after a 401), bounded retries with backoff on
 * 429, quota errors and 5xx (Retry-After honoured, capped), a deadline per request, a capped
 * response size, and Google's error body turned into a GoogleApiError.
 */
import { errorMessage } from '../errors.js';
import { type Logger, silentLogger } from '../log.js';
import type { GoogleTokenSource } from '../registry/credentials/google.js';
import { GoogleApiError, parseGoogleErrorBody } from './errors.js';

/** Options of {@link createGoogleApi}. */
export interface GoogleApiOptions {
  /** Gives access tokens with the cloud-platform scope. */
  token: GoogleTokenSource;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Waits between attempts (tests record the delays). Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default: Math.random. */
  random?: () => number;
  /** Attempts per request, the first included. Default: 6. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt. Default: 1000 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included. Default: 32000 ms. */
  maxDelayMs?: number;
  /** Deadline of one attempt (answer and body). Default: 60000 ms. */
  timeoutMs?: number;
  /** Largest response body accepted. Default: 16 MiB. */
  maxBodyBytes?: number;
  /** Debug lines per request and retry warnings. Default: silentLogger. */
  logger?: Logger;
}

/** One request: the JSON body is sent as is; query values are URL-encoded here. */
export interface GoogleRequest {
  method: 'GET' | 'POST';
  url: string;
  query?: Record<string, string | undefined>;
  body?: object;
  /**
   * What the caller needs for this call (permission, where, a role holding it; see
   * permissions.ts), said in the error when Google answers 403. Default: nothing added.
   */
  needs?: string;
}

/** Sends authorised JSON requests to Google APIs. */
export interface GoogleApi {
  /** The parsed JSON object of a 2xx answer; throws GoogleApiError otherwise. */
  request(req: GoogleRequest): Promise<Record<string, unknown>>;
}

interface Resolved {
  token: GoogleTokenSource;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  maxBodyBytes: number;
  logger: Logger;
}

function resolveOptions(options: GoogleApiOptions): Resolved {
  return {
    token: options.token,
    fetch: options.fetch ?? fetch,
    sleep: options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    maxAttempts: Math.max(1, options.maxAttempts ?? 6),
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 32_000,
    timeoutMs: options.timeoutMs ?? 60_000,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    logger: options.logger ?? silentLogger,
  };
}

/** Creates the helper described in {@link GoogleApiOptions}. */
export function createGoogleApi(options: GoogleApiOptions): GoogleApi {
  const o = resolveOptions(options);
  return { request: (req) => sendWithRetries(o, req) };
}

async function sendWithRetries(o: Resolved, req: GoogleRequest): Promise<Record<string, unknown>> {
  const url = withQuery(req.url, req.query);
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const outcome = await sendOnce(o, req, url, refreshed);
    if ('value' in outcome) return outcome.value;
    const error = outcome.error;
    if (error.httpStatus === 401 && !refreshed) {
      // Short-lived federated tokens expire mid-run: one fresh token, then the 401 stands.
      refreshed = true;
      continue;
    }
    if (!error.temporary || attempt >= o.maxAttempts) throw error;
    const delay = backoff(o, attempt, outcome.retryAfter);
    o.logger.warning(
      `${error.message}; retrying in ${Math.round(delay / 100) / 10} s (attempt ${attempt + 1} of ${o.maxAttempts})`,
    );
    await o.sleep(delay);
  }
}

/** Exponential backoff with jitter (half to full), or the server's Retry-After; both capped. */
function backoff(o: Resolved, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(o.maxDelayMs, retryAfterMs);
  const exponential = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + o.random() / 2));
}

type Outcome = { value: Record<string, unknown> } | { error: GoogleApiError; retryAfter?: number };

async function sendOnce(o: Resolved, req: GoogleRequest, url: string, refresh: boolean): Promise<Outcome> {
  const { method, body } = req;
  const token = await o.token.getAccessToken({ refresh });
  let status: number;
  let text: string;
  let retryAfter: number | undefined;
  try {
    const response = await o.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    status = response.status;
    retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    text = await readCapped(response, o.maxBodyBytes);
  } catch (err: unknown) {
    const reason =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${o.timeoutMs} ms`
        : errorMessage(err);
    if (err instanceof BodyTooLargeError) return { error: apiError(method, url, 200, reason) };
    return { error: apiError(method, url, 0, reason, err) };
  }
  if (o.logger.isDebug) o.logger.debug(`${method} ${url} ${status}`);
  if (status < 200 || status >= 300) {
    const error = new GoogleApiError(method, url, status, parseGoogleErrorBody(text), { needs: req.needs });
    return { error, retryAfter };
  }
  return parseObject(method, url, text);
}

function parseObject(method: string, url: string, text: string): Outcome {
  let parsed: unknown;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    return { error: apiError(method, url, 200, 'the answer is not JSON') };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { error: apiError(method, url, 200, 'the answer is not a JSON object') };
  return { value: parsed as Record<string, unknown> };
}

function apiError(method: string, url: string, status: number, reason: string, cause?: unknown) {
  const body = { code: undefined, status: undefined, message: undefined, reasons: [] };
  return new GoogleApiError(method, url, status, body, { reason, ...(cause ? { cause } : {}) });
}

/** Retry-After in seconds (an HTTP date is not worth trusting for a quota pause). */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function withQuery(url: string, query: Record<string, string | undefined> | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${text}`;
}

class BodyTooLargeError extends Error {}

/** Reads the body, failing (not truncating: half a JSON document is no answer) past `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
