import { Readable } from 'node:stream';
import type { Credential, Keychain } from '../../src/registry/credentials/types.js';
import type { RoundTrip, TransportRequest, TransportResponse } from '../../src/registry/transport/types.js';

/** A scripted response for a fake inner round trip. */
export function reply(status: number, headers: Record<string, string> = {}, body = ''): TransportResponse {
  return { status, headers, body: Readable.from([Buffer.from(body)]), url: '' };
}

/** A fake inner layer: answers with `handler` and records every request it saw. */
export function fakeInner(handler: (req: TransportRequest, index: number) => TransportResponse | Error): {
  roundTrip: RoundTrip;
  seen: TransportRequest[];
} {
  const seen: TransportRequest[] = [];
  const roundTrip: RoundTrip = async (req) => {
    seen.push(req);
    const out = handler(req, seen.length - 1);
    if (out instanceof Error) throw out;
    return { ...out, url: req.url };
  };
  return { roundTrip, seen };
}

/** A keychain holding fixed credentials per registry, recording each lookup. */
export function fixedKeychain(creds: Record<string, Credential>): Keychain & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async get(registry, options) {
      calls.push(`${registry}${options?.refresh ? ' refresh' : ''}`);
      return creds[registry];
    },
  };
}
