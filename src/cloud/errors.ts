/**
 * Google API failures as one typed error. Google answers errors with
 * `{error: {code, message, status, details: [{'@type', reason, ...}]}}` (AIP-193); BigQuery adds
 * `errors: [{reason, message}]`. Everything in such a body is hostile text: it is validated,
 * cut short and kept out of the terminal's control characters before it reaches a message.
 */
import { MirrorError } from '../errors.js';
import { printable } from '../text/escape.js';

/** What an error body said, validated. */
export interface GoogleErrorBody {
  /** HTTP-like code from the body. Default: undefined. */
  code: number | undefined;
  /** The canonical status (`PERMISSION_DENIED`, `RESOURCE_EXHAUSTED`, …). Default: undefined. */
  status: string | undefined;
  /** Google's message, printable and at most 500 characters. Default: undefined. */
  message: string | undefined;
  /** `reason`s of `details[]` (ErrorInfo) and of BigQuery's `errors[]`, at most 10. */
  reasons: string[];
}

/** Reasons and statuses that mean "too many requests now": worth a retry after a pause. */
const QUOTA_MARKERS = new Set([
  'RESOURCE_EXHAUSTED',
  'RATE_LIMIT_EXCEEDED',
  'rateLimitExceeded',
  'quotaExceeded',
  'backendError',
]);

/** A request to a Google API failed; `httpStatus` 0 means no answer came (network, timeout). */
export class GoogleApiError extends MirrorError {
  constructor(
    readonly method: string,
    readonly url: string,
    readonly httpStatus: number,
    readonly body: GoogleErrorBody,
    options?: { cause?: unknown; reason?: string; needs?: string | undefined },
  ) {
    const what = options?.reason ?? describe(httpStatus, body, options?.needs);
    super(`${method} ${printable(url, 200)}: ${what}`, options);
  }

  /** True when waiting and sending again may succeed (429, quota, 5xx, no answer). */
  get temporary(): boolean {
    return isTemporary(this.httpStatus, this.body);
  }
}

/** Whether a status and error body mean "try again later". */
export function isTemporary(httpStatus: number, body: GoogleErrorBody): boolean {
  if (httpStatus === 0 || httpStatus === 429 || httpStatus === 408) return true;
  if ([500, 502, 503, 504].includes(httpStatus)) return true;
  // BigQuery and others answer a rate limit with 403 and a reason instead of 429.
  if (httpStatus === 403) return body.reasons.some((reason) => QUOTA_MARKERS.has(reason));
  return body.status === 'RESOURCE_EXHAUSTED';
}

/**
 * `HTTP 403 PERMISSION_DENIED: <Google's message>`, and for a refusal (not a rate limit in 403
 * clothing) what the caller needs: Google's message names at most the permission, never a role
 * that holds it or, for some calls, that the obvious role is not enough.
 */
function describe(httpStatus: number, body: GoogleErrorBody, needs: string | undefined): string {
  const status = body.status ? ` ${body.status}` : '';
  const message = body.message ? `: ${body.message}` : '';
  const refused = httpStatus === 403 && needs !== undefined && !isTemporary(httpStatus, body);
  return `HTTP ${httpStatus}${status}${message}${refused ? `; the caller needs ${needs}` : ''}`;
}

const EMPTY: GoogleErrorBody = { code: undefined, status: undefined, message: undefined, reasons: [] };

/** Parses an error body; anything that is not Google's envelope gives an empty one. */
export function parseGoogleErrorBody(text: string): GoogleErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  const error = (parsed as { error?: unknown } | null)?.error;
  if (typeof error !== 'object' || error === null) return EMPTY;
  const e = error as Record<string, unknown>;
  const reasons = [...reasonsOf(e.details), ...reasonsOf(e.errors)].slice(0, 10);
  return {
    code: Number.isInteger(e.code) ? (e.code as number) : undefined,
    status: typeof e.status === 'string' && /^[A-Z_]{1,40}$/.test(e.status) ? e.status : undefined,
    message: typeof e.message === 'string' ? printable(e.message, 500) : undefined,
    reasons,
  };
}

function reasonsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .slice(0, 20)
    .map((item) => (item as { reason?: unknown } | null)?.reason)
    .filter((reason): reason is string => typeof reason === 'string' && /^[A-Za-z_]{1,64}$/.test(reason));
}
