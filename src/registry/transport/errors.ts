import { STATUS_CODES } from 'node:http';
import { MirrorError } from '../../errors.js';
import { maskOutsideText } from '../../secrets.js';
import { readBody, type TransportRequest, type TransportResponse } from './types.js';

/** One entry of the Distribution spec's error body: `{"errors":[{code, message, detail}]}`. */
export interface SpecError {
  code: string;
  message?: string;
  detail?: unknown;
}

/** The most of an error body ever read (go-containerregistry uses the same cap). */
export const ERROR_BODY_LIMIT = 64 * 1024;

const TEMPORARY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
// Spec codes that a later attempt can succeed on (the set go-containerregistry's Temporary() uses).
const TEMPORARY_CODES = new Set(['BLOB_UPLOAD_INVALID', 'TOOMANYREQUESTS', 'UNKNOWN', 'UNAVAILABLE']);
// Query parameters that say what was asked for and carry no secret; all others are redacted
// (upload `_state` is an HMAC, storage redirects carry signatures).
const SAFE_QUERY = new Set(['digest', 'mount', 'from', 'scope', 'service', 'n', 'last', 'artifactType']);

/**
 * A registry request failed: an unexpected status (with the spec's error codes) or a network
 * error (`status` undefined). The URL is redacted; no header ever goes into the message.
 */
export class RegistryError extends MirrorError {
  readonly method: string;
  /** The request URL with userinfo removed and secret-looking query values replaced by `REDACTED`. */
  readonly url: string;
  /** The HTTP status, or undefined when no response arrived (connection refused, reset...). */
  readonly status: number | undefined;
  readonly errors: SpecError[];
  /** True when trying again later may succeed (408/429/5xx, TOOMANYREQUESTS, connection resets). */
  readonly temporary: boolean;
  /** The response's Retry-After header, for callers that retry a larger unit themselves. */
  readonly retryAfter: string | undefined;

  constructor(init: {
    method: string;
    url: string;
    status?: number;
    errors?: SpecError[];
    temporary?: boolean;
    reason?: string;
    retryAfter?: string;
    cause?: unknown;
  }) {
    const url = redactUrl(init.url);
    const errors = init.errors ?? [];
    super(`${init.method} ${url}: ${describe(init.status, errors, init.reason)}`, { cause: init.cause });
    this.method = init.method;
    this.url = url;
    this.status = init.status;
    this.errors = errors;
    this.retryAfter = init.retryAfter;
    this.temporary =
      init.temporary ??
      ((init.status !== undefined && TEMPORARY_STATUSES.has(init.status)) ||
        errors.some((e) => TEMPORARY_CODES.has(e.code)));
  }

  /** True when the registry answered with one of the spec `codes`. */
  hasCode(...codes: string[]): boolean {
    return this.errors.some((e) => codes.includes(e.code));
  }
}

function describe(status: number | undefined, errors: SpecError[], reason: string | undefined): string {
  const parts: string[] = [];
  if (status !== undefined) parts.push(String(status));
  if (errors.length > 0) {
    // Codes and message come from the registry: masked and cut before they go into the message.
    const codes = maskOutsideText(errors.map((e) => e.code).join(', '), 100);
    const message = errors[0]?.message;
    parts.push(message ? `${codes} (${maskOutsideText(message, 200)})` : codes);
  } else if (reason) {
    parts.push(reason);
  } else if (status !== undefined) {
    parts.push(STATUS_CODES[status] ?? 'unexpected status');
  }
  return parts.join(' ');
}

/** Removes userinfo and replaces query values that may be secret with `REDACTED`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '<invalid url>';
  }
  url.username = '';
  url.password = '';
  for (const key of [...new Set(url.searchParams.keys())]) {
    if (!SAFE_QUERY.has(key)) url.searchParams.set(key, 'REDACTED');
  }
  return url.toString();
}

/** Parses a spec error body; anything else (HTML, empty) gives no entries. */
export function parseSpecErrors(body: Buffer): SpecError[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors
      .filter((e): e is { code: unknown } => typeof e === 'object' && e !== null && 'code' in e)
      .map((e) => {
        const entry = e as { code: unknown; message?: unknown; detail?: unknown };
        const out: SpecError = { code: String(entry.code) };
        if (typeof entry.message === 'string') out.message = entry.message;
        if (entry.detail !== undefined) out.detail = entry.detail;
        return out;
      });
  } catch {
    return [];
  }
}

/**
 * Returns when `res.status` is one of `allowed`; otherwise reads (at most 64 KiB of) the body and
 * throws a RegistryError. Used at every call site, like go-containerregistry's CheckError.
 */
export async function checkResponse(
  req: TransportRequest,
  res: TransportResponse,
  ...allowed: number[]
): Promise<void> {
  if (allowed.includes(res.status)) return;
  throw await responseError(req, res);
}

/** Builds the RegistryError for an unexpected response, consuming (a capped part of) its body. */
export async function responseError(req: TransportRequest, res: TransportResponse): Promise<RegistryError> {
  let body: Buffer = Buffer.alloc(0);
  try {
    body = await readBody(res, ERROR_BODY_LIMIT);
  } catch {
    // A body that breaks off still leaves us the status to report.
  }
  return new RegistryError({
    method: req.method,
    url: req.url,
    status: res.status,
    errors: parseSpecErrors(body),
    ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
  });
}
