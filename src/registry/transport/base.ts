import { Agent, type Dispatcher, request } from 'undici';
import { RegistryError } from './errors.js';
import type { RoundTrip, TransportRequest, TransportResponse } from './types.js';

/** Options of the connection pool shared by every registry of one copy. */
export interface DispatcherOptions {
  /** Extra CA certificates (PEM) to trust, for tests. NODE_EXTRA_CA_CERTS works without it. Default: none. */
  ca?: string;
  /** Connections kept per origin. Default: 8 (copy jobs plus manifest and HEAD traffic). */
  connections?: number;
}

/**
 * Creates the keep-alive connection pool. HTTP/2 is allowed because registries behind TLS
 * (distribution with `http.tls`, Artifact Registry) speak it, and one h2 connection carries many
 * concurrent blob streams.
 */
export function createDispatcher(options: DispatcherOptions = {}): Agent {
  return new Agent({
    allowH2: true,
    connections: options.connections ?? 8,
    keepAliveTimeout: 30_000,
    // Blob bodies can pause while the other side of a streamed copy catches up.
    bodyTimeout: 300_000,
    headersTimeout: 120_000,
    connect: options.ca ? { ca: options.ca } : {},
  });
}

// Network failures worth another attempt: the peer went away or never answered.
const TEMPORARY_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** The innermost layer: one undici request, headers normalised, network errors as RegistryError. */
export function createBaseRoundTrip(dispatcher: Dispatcher): RoundTrip {
  return async (req: TransportRequest): Promise<TransportResponse> => {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers ?? {},
        body: req.body ?? null,
        signal: req.signal,
        dispatcher,
      });
    } catch (err: unknown) {
      throw networkError(req, err);
    }
    return { status: res.statusCode, headers: normaliseHeaders(res.headers), body: res.body, url: req.url };
  };
}

/** Turns a thrown network error into a RegistryError that names the code but not the request headers. */
export function networkError(req: TransportRequest, err: unknown): RegistryError {
  if (err instanceof RegistryError) return err;
  const code = errorCode(err);
  return new RegistryError({
    method: req.method,
    url: req.url,
    reason: code ? `connection failed (${code})` : 'connection failed',
    temporary: code !== undefined && TEMPORARY_NETWORK_CODES.has(code),
    cause: err,
  });
}

function errorCode(err: unknown): string | undefined {
  let current: unknown = err;
  // undici wraps socket errors; the useful code may sit one or two causes down.
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
