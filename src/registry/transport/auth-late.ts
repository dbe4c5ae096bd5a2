import { type Challenge, parseChallenge } from './ping.js';
import { discardBody, isReplayable, type RoundTrip } from './types.js';

/**
 * For registries whose `/v2/` answers 200 anonymously but whose repositories may still answer 401
 * with a challenge (public and private repositories side by side): the first such 401 switches
 * this transport to the auth layer `authFor` builds for that challenge, and the request is sent
 * once more through it. A streamed body cannot be resent, so its 401 is returned as it is.
 * `onChallenge` hears each challenge that switched it (a run's session learns it). Default: none.
 */
export function withLateChallenge(
  inner: RoundTrip,
  authFor: (challenge: Challenge) => RoundTrip,
  onChallenge?: (challenge: Challenge) => void,
): RoundTrip {
  let authed: RoundTrip | undefined;
  return async (req) => {
    if (authed) return authed(req);
    const res = await inner(req);
    if (res.status !== 401 || !isReplayable(req.body)) return res;
    const challenge = parseChallenge(res.headers['www-authenticate']);
    if (challenge.scheme === 'none') return res;
    discardBody(res);
    authed ??= authFor(challenge);
    onChallenge?.(challenge);
    return authed(req);
  };
}
