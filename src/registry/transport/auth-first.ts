import { withLateChallenge } from './auth-late.js';
import { type Challenge, parseChallenge } from './ping.js';
import { discardBody, isReplayable, type RoundTrip } from './types.js';

/**
 * Learns how a registry authenticates from the first real request instead of a `GET /v2/` ping:
 * it goes out without credentials; a 401 with a challenge switches to the auth layer `authFor`
 * builds for it and the request is sent once more, any other answer means anonymous access for
 * now (with `withLateChallenge` semantics: a later 401 still switches). On an anonymous registry
 * this saves the ping's round trip; on one that wants credentials it costs the same (the first
 * 401 replaces the ping's). Registries answer an unauthenticated API request with 401 and a
 * `WWW-Authenticate` challenge (distribution spec, "Authentication"), HEAD included.
 *
 * Requests that arrive while the first one is out wait for it, so a burst does not collect a
 * 401 each. `learned` hears the challenge once, for the transports of later copies.
 */
export function withFirstChallenge(
  inner: RoundTrip,
  authFor: (challenge: Challenge) => RoundTrip,
  learned: (challenge: Challenge) => void,
): RoundTrip {
  let chosen: Promise<RoundTrip> | undefined;
  const self: RoundTrip = async (req) => {
    if (chosen) return (await chosen)(req);
    let settle: (rt: RoundTrip) => void = () => {};
    chosen = new Promise<RoundTrip>((resolve) => {
      settle = resolve;
    });
    let res: Awaited<ReturnType<RoundTrip>>;
    try {
      res = await inner(req);
    } catch (err: unknown) {
      // Nothing learned: the next request (or each waiting one) tries again.
      chosen = undefined;
      settle(self);
      throw err;
    }
    const challenge = res.status === 401 ? parseChallenge(res.headers['www-authenticate']) : undefined;
    if (challenge === undefined || challenge.scheme === 'none') {
      settle(withLateChallenge(inner, authFor, learned));
      if (res.status !== 401) learned({ scheme: 'none' });
      return res;
    }
    const authed = authFor(challenge);
    settle(authed);
    learned(challenge);
    if (!isReplayable(req.body)) return res;
    discardBody(res);
    return authed(req);
  };
  return self;
}
