/** Reading registry response bodies within a bound. */
import { LimitExceededError } from './limits.js';
import { discardBody, readBody, type TransportResponse } from './transport/index.js';

/** The Content-Length header as a whole number, or undefined when absent or malformed. */
export function contentLength(res: Pick<TransportResponse, 'headers'>): number | undefined {
  const value = res.headers['content-length'];
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * The whole body, refused with LimitExceededError (and discarded) when it announces or turns out
 * to be larger than `limit`: never silently cut, which would only move the failure elsewhere.
 */
export async function readLimited(res: TransportResponse, limit: number, what: string): Promise<Buffer> {
  const announced = contentLength(res);
  if (announced !== undefined && announced > limit) {
    discardBody(res);
    throw new LimitExceededError(`${what} is ${announced} bytes; the limit is ${limit}`);
  }
  const bytes = await readBody(res, limit + 1);
  if (bytes.length > limit) throw new LimitExceededError(`${what} is larger than ${limit} bytes`);
  return bytes;
}
