import { registerCredential } from '../../secrets.js';
import { type Credential, isIdentityToken, type Keychain } from '../credentials/types.js';
import { discardBody, isReplayable, type RoundTrip } from './types.js';

/** Options of the Basic auth layer. */
export interface BasicAuthOptions {
  /** The API host the header is sent to; never to any other host (redirects to storage). */
  host: string;
  /** The keychain name of the registry (`docker.io` for Docker Hub). */
  registry: string;
  keychain: Keychain;
  /** Called with each secret as soon as it is read, so loggers mask it. */
  secret?: (value: string) => void;
}

/** The `Authorization` value for a credential. */
export function basicHeader(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

/**
 * Adds `Authorization: Basic …` to requests for the registry host. A 401 asks the keychain once
 * for fresh credentials (`refresh: true`) and resends a replayable request.
 */
export function withBasicAuth(inner: RoundTrip, options: BasicAuthOptions): RoundTrip {
  let current: Promise<Credential | undefined> | undefined;
  const load = (refresh: boolean) => {
    current = options.keychain.get(options.registry, refresh ? { refresh } : undefined).then((cred) => {
      if (cred) {
        // The password and `user:password` (the Redactor derives the Basic header's base64 from it).
        if (options.secret) registerCredential(options.secret, cred);
      }
      // An identity token is for a token realm (auth-bearer.ts), never a Basic password.
      return isIdentityToken(cred) ? undefined : cred;
    });
    current.catch(() => {
      current = undefined;
    });
    return current;
  };
  const send = async (req: Parameters<RoundTrip>[0], cred: Credential | undefined) => {
    if (!cred || new URL(req.url).host !== options.host) return inner(req);
    return inner({ ...req, headers: { ...req.headers, authorization: basicHeader(cred) } });
  };
  return async (req) => {
    const res = await send(req, await (current ?? load(false)));
    if (res.status !== 401 || !isReplayable(req.body) || new URL(req.url).host !== options.host) return res;
    discardBody(res);
    return send(req, await load(true));
  };
}
