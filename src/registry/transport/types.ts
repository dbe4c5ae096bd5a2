import type { Readable } from 'node:stream';

/** A request body: bytes (replayable, so retries and auth refreshes may resend it) or a stream (sent once). */
export type RequestBody = Buffer | string | Readable;

/** One HTTP request as the transport layers see it. */
export interface TransportRequest {
  method: string;
  /** Absolute URL; the scheme layer rewrites `https:` to `http:` for registries listed as plain HTTP. */
  url: string;
  /** Header names in lower case. */
  headers?: Record<string, string>;
  body?: RequestBody;
  signal?: AbortSignal;
  /**
   * False: the retry layer sends this request once, because the caller retries a larger unit
   * (a whole blob transfer) and nested retries would multiply attempts and waits. Default: true.
   */
  retry?: boolean;
  /**
   * The body (sent or received) is a blob stream: no total deadline (deadline.ts), a minimum
   * throughput instead, watched by the blob transfer. Default: true for streamed request bodies.
   */
  stream?: boolean;
  /** Not tied to the copy's overall deadline: cleanup after a failure (cancelling an upload). Default: false. */
  detached?: boolean;
}

/** One HTTP response. The caller must consume or discard `body` so the connection is reused. */
export interface TransportResponse {
  status: number;
  /** Header names in lower case; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  body: Readable;
  /** The URL that produced this response (after redirects). */
  url: string;
}

/** A transport layer: wraps an inner round trip and adds one concern (retry, auth, scheme...). */
export type RoundTrip = (req: TransportRequest) => Promise<TransportResponse>;

/** True when the body can be sent again (bytes, not a stream that has been consumed). */
export function isReplayable(body: RequestBody | undefined): boolean {
  return body === undefined || typeof body === 'string' || Buffer.isBuffer(body);
}

/**
 * Throws away a response body without reading it all: undici's `dump()` reads a little and then
 * closes, other streams are resumed so they drain.
 */
export function discardBody(res: TransportResponse): void {
  const body = res.body as Readable & { dump?: () => Promise<void> };
  if (typeof body.dump === 'function') {
    body.dump().catch(() => {});
    return;
  }
  body.on('error', () => {});
  body.resume();
}

/**
 * Reads at most `limit` bytes of a body; the rest is discarded. Error bodies are capped so a
 * misbehaving server cannot make us buffer megabytes of HTML.
 */
export async function readBody(res: TransportResponse, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buf);
    size += buf.length;
    if (size >= limit) {
      res.body.destroy();
      break;
    }
  }
  const all = Buffer.concat(chunks);
  return all.length > limit ? all.subarray(0, limit) : all;
}
