import { type Logger, silentLogger } from '../../log.js';
import type { Keychain } from '../credentials/types.js';
import { createTargetPolicy, withTargetPolicy } from './address.js';
import { withBasicAuth } from './auth-basic.js';
import { type BearerState, createBearerState, withBearerAuth } from './auth-bearer.js';
import { withFirstChallenge } from './auth-first.js';
import { withLateChallenge } from './auth-late.js';
import { type ConnectionPool, createBaseRoundTrip } from './base.js';
import { withJobSignal, withRequestDeadline } from './deadline.js';
import { withLogging } from './log.js';
import { type Challenge, ping } from './ping.js';
import { withRedirects } from './redirect.js';
import { type RetryOptions, withRetry } from './retry.js';
import { parseEndpoint, registryHost, registryScheme, withScheme } from './scheme.js';
import { withRepositoryScope } from './scope.js';
import type { RoundTrip, TransportRequest, TransportResponse } from './types.js';

export { type BearerState, createBearerState } from './auth-bearer.js';
export { type ConnectionPool, createConnectionPool, type PoolOptions } from './base.js';
export { DEFAULT_REQUEST_DEADLINE_MS, sleepUnlessAborted } from './deadline.js';
export { checkResponse, RegistryError, redactUrl, responseError, type SpecError } from './errors.js';
export type { Challenge } from './ping.js';
export type { RetryOptions } from './retry.js';
export { registryHost, registryScheme } from './scheme.js';
export * from './types.js';

/** Options of one registry's transport. */
export interface TransportOptions {
  /** Registry as written in references (`docker.io`, `127.0.0.1:5000`, `us-docker.pkg.dev`). */
  registry: string;
  /** Token scopes, most important first: `repository:DST:push,pull` before pull-only source scopes. */
  scopes: string[];
  keychain: Keychain;
  /** The connection pool (createConnectionPool). Ignored when `base` is given. */
  pool?: ConnectionPool;
  /** Replaces the network layer (tests pass a fake). Default: requests on `pool`. */
  base?: RoundTrip;
  /** Hosts spoken to over plain HTTP (`host:port` or `host`). Default: none: HTTPS everywhere. */
  plainHttp?: readonly string[];
  /**
   * Where a registry's API really lives, by registry name (`us-docker.pkg.dev` →
   * `https://proxy.internal:8443`): a pull-through proxy, a private endpoint, or a local registry
   * in tests. References and credentials keep the registry name. Default: none.
   */
  endpoints?: Readonly<Record<string, string>>;
  /** Retry policy of every request. Default: see RetryOptions. */
  retry?: RetryOptions;
  /** Debug request lines, Docker Hub quota, and secret masking. Default: silentLogger. */
  logger?: Logger;
  /**
   * The only repositories requests to the registry's own host may address (the copy job's
   * source, or its destination): anything else is refused before it is sent (scope.ts). Required.
   */
  repositories: readonly string[];
  /** The copy's overall deadline: aborting it aborts every request and retry wait. Default: none. */
  signal?: AbortSignal;
  /** Total deadline of each request that is not a blob stream, body included. Default: 60000 ms. */
  requestDeadlineMs?: number;
  /** Sees every answer at the bottom of the stack (redirects and retries included). Default: none. */
  observe?: (req: TransportRequest, res: TransportResponse) => void;
  /**
   * What the transports of one run share about this registry (createRegistryAuth): the
   * challenge, learned once, and the Bearer tokens. Default: this transport's own.
   */
  auth?: RegistryAuth;
}

/** One registry's authentication as a run learns it (see TransportOptions.auth). */
export interface RegistryAuth {
  /**
   * How the challenge is learned: `ping` sends `GET /v2/` before the first request; `first-request`
   * sends the first request without credentials and takes the challenge from its 401 (auth-first.ts).
   */
  readonly probe: 'ping' | 'first-request';
  /** The challenge once known (or being learned by a ping); later transports skip the probe. */
  challenge: Promise<Challenge> | undefined;
  readonly bearer: BearerState;
}

/** A fresh RegistryAuth for one registry of a run. Default probe: `ping`. */
export function createRegistryAuth(probe: RegistryAuth['probe'] = 'ping'): RegistryAuth {
  return { probe, challenge: undefined, bearer: createBearerState() };
}

/** A ready transport: where the registry's API lives and how to talk to it. */
export interface Transport {
  /** `https://HOST` (or `http://` for listed hosts); API paths are appended to it. */
  readonly baseUrl: string;
  readonly roundTrip: RoundTrip;
  /**
   * Whether the registry may send us to `url` (address.ts, createTargetPolicy): applied to
   * redirects and token realms here, by the client to upload `Location`s, and to every request.
   */
  readonly isAllowedHost: (url: URL) => boolean;
}

/**
 * Composes the layers, outermost first: the copy's signal → redirects (no downgrades, no local
 * hosts unless this registry is exempted) → repository scope (scope.ts) → auth (chosen by the
 * registry's challenge) → scheme → retry → request deadline → logging → target policy
 * (address.ts) → the connection pool (guarded DNS unless exempted). The challenge comes from
 * `options.auth` when an earlier transport of the run learned it, else from a lazy `/v2/` ping
 * (once; a failed ping is retried on the next request instead of being remembered), or with
 * the `first-request` probe from the first request's own 401 (auth-first.ts).
 */
export function createTransport(options: TransportOptions): Transport {
  const logger = options.logger ?? silentLogger;
  const endpoint = options.endpoints?.[options.registry];
  const { host, scheme } = endpoint
    ? parseEndpoint(endpoint)
    : {
        host: registryHost(options.registry),
        scheme: registryScheme(registryHost(options.registry), options.plainHttp ?? []),
      };
  const baseUrl = `${scheme}://${host}`;
  // Only this registry's own API host counts: an exemption of another registry gives this one nothing.
  const policy = createTargetPolicy(registryHost(options.registry), baseUrl, [
    ...(options.plainHttp ?? []),
    ...Object.values(options.endpoints ?? {}).map((url) => parseEndpoint(url).host),
  ]);
  const plain = plainRoundTrip(options, { host, scheme, policy, logger });
  const isAllowedHost = policy.allows;
  const scoped = (inner: RoundTrip) =>
    withRepositoryScope(inner, { host: policy.apiHost, repositories: options.repositories });

  const shared = options.auth ?? createRegistryAuth();
  const withAuth = authBuilder(options, {
    host,
    scheme,
    plain,
    isAllowedHost,
    logger,
    bearer: shared.bearer,
  });
  const connect = createConnector({
    shared,
    ping: () => ping(plain, baseUrl),
    learnFromFirst: () =>
      withFirstChallenge(
        plain,
        (challenge) => withAuth(plain, challenge),
        (challenge) => {
          shared.challenge = Promise.resolve(challenge);
        },
      ),
    build: (auth) =>
      withJobSignal(
        withRedirects(scoped(typeof auth === 'function' ? auth : withAuth(plain, auth)), { isAllowedHost }),
        options.signal,
      ),
  });
  return { baseUrl, isAllowedHost, roundTrip: async (req) => (await connect())(req) };
}

/**
 * The authenticated round trip, built once on first use (learnChallenge); a failure to learn
 * the challenge is not remembered: the next request tries again.
 */
function createConnector(parts: {
  shared: RegistryAuth;
  ping: () => Promise<Challenge>;
  learnFromFirst: () => RoundTrip;
  build: (auth: Challenge | RoundTrip) => RoundTrip;
}): () => Promise<RoundTrip> {
  let authed: Promise<RoundTrip> | undefined;
  return () => {
    if (authed) return authed;
    const connecting = learnChallenge(parts.shared, parts).then(parts.build);
    authed = connecting;
    connecting.catch(() => {
      if (authed === connecting) authed = undefined;
    });
    return connecting;
  };
}

/**
 * The layers below auth: the copy's signal → scheme → retry → request deadline → logging →
 * target policy → the pool (or `base`), with `observe` watching every answer at the bottom.
 */
function plainRoundTrip(
  options: TransportOptions,
  ctx: {
    host: string;
    scheme: 'http' | 'https';
    policy: ReturnType<typeof createTargetPolicy>;
    logger: Logger;
  },
): RoundTrip {
  const network = options.base ?? createBaseRoundTrip(requirePool(options.pool), ctx.policy.mayResolveLocal);
  const observed: RoundTrip = options.observe
    ? async (req) => {
        const res = await network(req);
        options.observe?.(req, res);
        return res;
      }
    : network;
  const bottom = withTargetPolicy(observed, ctx.policy);
  const timed = withRequestDeadline(
    withLogging(bottom, ctx.logger, ctx.policy.apiHost),
    options.requestDeadlineMs,
  );
  const scheme = { host: ctx.host, scheme: ctx.scheme };
  return withJobSignal(withScheme(withRetry(timed, options.retry), scheme), options.signal);
}

/** Builds the auth layer a challenge asks for, over `inner`. */
function authBuilder(
  options: TransportOptions,
  ctx: {
    host: string;
    scheme: string;
    plain: RoundTrip;
    isAllowedHost: (url: URL) => boolean;
    logger: Logger;
    bearer: BearerState;
  },
): (inner: RoundTrip, challenge: Challenge) => RoundTrip {
  const withAuth = (inner: RoundTrip, challenge: Challenge): RoundTrip => {
    const common = {
      host: ctx.host,
      registry: options.registry,
      keychain: options.keychain,
      secret: (value: string) => ctx.logger.secret(value),
    };
    if (challenge.scheme === 'basic') return withBasicAuth(inner, common);
    // An anonymous `/v2/` does not mean anonymous repositories: switch on their first challenge.
    if (challenge.scheme === 'none') return withLateChallenge(inner, (late) => withAuth(inner, late));
    return withBearerAuth(inner, {
      ...common,
      realm: challenge.realm,
      ...(challenge.service !== undefined ? { service: challenge.service } : {}),
      scopes: options.scopes,
      tokenTransport: ctx.plain,
      allowHttpRealm: ctx.scheme === 'http',
      isAllowedHost: ctx.isAllowedHost,
      state: ctx.bearer,
    });
  };
  return withAuth;
}

/**
 * The challenge of `shared` (learned by an earlier transport of the run), else a ping whose
 * answer is shared at once (a failed one is forgotten), else the first-request learner.
 */
function learnChallenge(
  shared: RegistryAuth,
  probes: { ping: () => Promise<Challenge>; learnFromFirst: () => RoundTrip },
): Promise<Challenge | RoundTrip> {
  const pingAndShare = () => {
    const pinged = probes.ping();
    shared.challenge = pinged;
    pinged.catch(() => {
      if (shared.challenge === pinged) shared.challenge = undefined;
    });
    return pinged;
  };
  // Another copy's ping may fail for its own reasons (its deadline): then this one pings itself.
  if (shared.challenge) return shared.challenge.catch(pingAndShare);
  if (shared.probe === 'first-request') return Promise.resolve(probes.learnFromFirst());
  return pingAndShare();
}

function requirePool(pool: ConnectionPool | undefined): ConnectionPool {
  if (!pool) throw new TypeError('createTransport needs a connection pool or a base round trip');
  return pool;
}
