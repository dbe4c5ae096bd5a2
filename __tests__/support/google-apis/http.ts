/** Request and response helpers of the Google API stand-ins, in Google's own shapes. */
import type http from 'node:http';

/** One request as a handler sees it. */
export interface ApiRequest {
  method: string;
  /** Path after the API's base (`/projects/p/...`), decoded. */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

/** A handler's answer. */
export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A 200 with a JSON body. */
export const ok = (body: unknown): ApiResponse => ({ status: 200, body });

/** Google's error envelope (AIP-193): `{error: {code, message, status, details}}`. */
export function googleError(
  code: number,
  status: string,
  message: string,
  details: object[] = [],
): ApiResponse {
  return {
    status: code,
    body: { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } },
  };
}

/** The not-found answer every API gives for a missing resource. */
export const notFound = (what: string) => googleError(404, 'NOT_FOUND', `${what} not found.`);

export function send(res: http.ServerResponse, answer: ApiResponse): void {
  const data = Buffer.from(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': data.length,
    ...answer.headers,
  });
  res.end(data);
}

export async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

/** An opaque page token for an offset (real tokens are opaque too). */
export const pageToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

/** The offset of a token this stand-in issued, or undefined for anything else. */
export function tokenOffset(token: string | null | undefined): number | undefined {
  if (!token) return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}
