import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  parseArtifactRegistryDestination,
  preflightArtifactRegistry
} from "./chunk-U4PV7WAK.js";
import {
  silentLogger
} from "./chunk-VAYOJ3Y5.js";
import {
  DEFAULT_JOBS,
  DOCKER_HUB,
  DOCKER_HUB_ALIASES,
  DOCKER_HUB_API_HOST,
  digestTag,
  formatPlatform,
  formatReference,
  isDigest,
  isPlatform,
  parseDigest,
  parsePlatform,
  parseReference,
  parseRepository,
  parseTag,
  quoted,
  readNetworkEnvironment,
  repositoryName,
  splitLists
} from "./chunk-FHORZPU6.js";
import {
  UsageError,
  maskOutsideText,
  registerCredential
} from "./chunk-TH6AUOUN.js";
import {
  createAdcTokenSource
} from "./chunk-BLDWR4WJ.js";
import {
  ConfigError,
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/util/map-limit.ts
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  let failure;
  const worker = async () => {
    while (failure === void 0 && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
function createLimiter(jobs) {
  let active = 0;
  const waiting = [];
  return async (fn) => {
    if (active >= jobs) await new Promise((resolve2) => waiting.push(resolve2));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

// src/registry/transport/errors.ts
import { STATUS_CODES } from "node:http";

// src/registry/transport/types.ts
function isReplayable(body) {
  return body === void 0 || typeof body === "string" || Buffer.isBuffer(body);
}
function discardBody(res) {
  const body = res.body;
  if (typeof body.dump === "function") {
    body.dump().catch(() => {
    });
    return;
  }
  body.on("error", () => {
  });
  body.resume();
}
async function readBody(res, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
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

// src/registry/transport/errors.ts
var ERROR_BODY_LIMIT = 64 * 1024;
var TEMPORARY_STATUSES = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
var TEMPORARY_CODES = /* @__PURE__ */ new Set(["BLOB_UPLOAD_INVALID", "TOOMANYREQUESTS", "UNKNOWN", "UNAVAILABLE"]);
var SAFE_QUERY = /* @__PURE__ */ new Set(["digest", "mount", "from", "scope", "service", "n", "last", "artifactType"]);
var RegistryError = class extends MirrorError {
  method;
  /** The request URL with userinfo removed and secret-looking query values replaced by `REDACTED`. */
  url;
  /** The HTTP status, or undefined when no response arrived (connection refused, reset...). */
  status;
  errors;
  /** True when trying again later may succeed (408/429/5xx, TOOMANYREQUESTS, connection resets). */
  temporary;
  /** The response's Retry-After header, for callers that retry a larger unit themselves. */
  retryAfter;
  constructor(init) {
    const url = redactUrl(init.url);
    const errors = init.errors ?? [];
    super(`${init.method} ${url}: ${describe(init.status, errors, init.reason)}`, { cause: init.cause });
    this.method = init.method;
    this.url = url;
    this.status = init.status;
    this.errors = errors;
    this.retryAfter = init.retryAfter;
    this.temporary = init.temporary ?? (init.status !== void 0 && TEMPORARY_STATUSES.has(init.status) || errors.some((e) => TEMPORARY_CODES.has(e.code)));
  }
  /** True when the registry answered with one of the spec `codes`. */
  hasCode(...codes) {
    return this.errors.some((e) => codes.includes(e.code));
  }
};
function describe(status, errors, reason) {
  const parts = [];
  if (status !== void 0) parts.push(String(status));
  if (errors.length > 0) {
    const codes = maskOutsideText(errors.map((e) => e.code).join(", "), 100);
    const message = errors[0]?.message;
    parts.push(message ? `${codes} (${maskOutsideText(message, 200)})` : codes);
  } else if (reason) {
    parts.push(reason);
  } else if (status !== void 0) {
    parts.push(STATUS_CODES[status] ?? "unexpected status");
  }
  return parts.join(" ");
}
function redactUrl(raw) {
  let url;
  try {
    url = new URL(raw);
  } catch {
    return "<invalid url>";
  }
  url.username = "";
  url.password = "";
  for (const key of [...new Set(url.searchParams.keys())]) {
    if (!SAFE_QUERY.has(key)) url.searchParams.set(key, "REDACTED");
  }
  return url.toString();
}
function parseSpecErrors(body) {
  try {
    const parsed = JSON.parse(body.toString("utf8"));
    if (!Array.isArray(parsed.errors)) return [];
    return parsed.errors.filter((e) => typeof e === "object" && e !== null && "code" in e).map((e) => {
      const entry = e;
      const out = { code: String(entry.code) };
      if (typeof entry.message === "string") out.message = entry.message;
      if (entry.detail !== void 0) out.detail = entry.detail;
      return out;
    });
  } catch {
    return [];
  }
}
async function checkResponse(req, res, ...allowed) {
  if (allowed.includes(res.status)) return;
  throw await responseError(req, res);
}
async function responseError(req, res) {
  let body = Buffer.alloc(0);
  try {
    body = await readBody(res, ERROR_BODY_LIMIT);
  } catch {
  }
  return new RegistryError({
    method: req.method,
    url: req.url,
    status: res.status,
    errors: parseSpecErrors(body),
    ...res.headers["retry-after"] ? { retryAfter: res.headers["retry-after"] } : {}
  });
}

// src/registry/transport/address.ts
var LOCAL_NAMES = /* @__PURE__ */ new Set(["localhost", "metadata.google.internal", "metadata"]);
var METADATA_ADDRESSES = /* @__PURE__ */ new Set(["100.100.100.200", "fd00:ec2::254"]);
function isLocalHost(hostname) {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (LOCAL_NAMES.has(host) || host.endsWith(".localhost")) return true;
  return isLocalAddress(host);
}
function isLocalAddress(address) {
  const host = address.toLowerCase().replace(/^\[|\]$/g, "");
  if (METADATA_ADDRESSES.has(host)) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) return isLocalV4(Number(v4[1]), Number(v4[2]));
  if (!host.includes(":")) return false;
  if (host === "::1" || host === "::" || /^0*:(0*:)*0*1?$/.test(host)) return true;
  if (/^fe[89ab][0-9a-f]:/.test(host)) return true;
  const dotted = /^::ffff:(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (dotted) return isLocalV4(Number(dotted[1]), Number(dotted[2]));
  const mapped = /^::ffff:([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(host);
  if (mapped) {
    const high = Number.parseInt(mapped[1], 16);
    return isLocalV4(high >> 8, high & 255);
  }
  return false;
}
function isLocalV4(first, second) {
  return first === 127 || first === 0 || first === 169 && second === 254;
}
function createTargetPolicy(registry, apiUrl, exemptions) {
  const api = new URL(apiUrl);
  const apiHost = api.host;
  const apiExempt = isExempt(apiHost, exemptions);
  const localRegistry = apiExempt && registry.toLowerCase() === apiHost.toLowerCase();
  const mayResolveLocal = (url) => url.host === apiHost ? apiExempt : localRegistry;
  return {
    apiHost,
    apiExempt,
    localRegistry,
    mayResolveLocal,
    allows: (url) => mayResolveLocal(url) || !isLocalHost(url.hostname)
  };
}
function isExempt(host, entries) {
  const wanted = host.trim().toLowerCase();
  const hostname = hostnameOf(wanted);
  return entries.some((entry) => {
    const text = entry.trim().toLowerCase();
    if (text === "") return false;
    return text === wanted || !/:\d+$/.test(text) && hostnameOf(text) === hostname;
  });
}
function hostnameOf(entry) {
  const text = entry.trim().toLowerCase();
  try {
    return new URL(text.includes("://") ? text : `http://${text}`).hostname;
  } catch {
    return text;
  }
}
function withTargetPolicy(inner, policy) {
  return (req) => {
    const url = new URL(req.url);
    if (policy.allows(url)) return inner(req);
    return Promise.reject(
      new RegistryError({
        method: req.method,
        url: req.url,
        temporary: false,
        reason: `${url.hostname} is a loopback, link-local or metadata host, and only a registry named in --plain-http (AR_MIRROR_PLAIN_HTTP) or AR_MIRROR_REGISTRY_ENDPOINTS may be reached there`
      })
    );
  };
}

// src/registry/transport/scheme.ts
function registryHost(registry) {
  const name = registry.toLowerCase();
  return name === DOCKER_HUB || DOCKER_HUB_ALIASES.has(name) ? DOCKER_HUB_API_HOST : registry;
}
function parseEndpoint(endpoint) {
  const url = new URL(endpoint);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`registry endpoint "${endpoint}" must be an http:// or https:// URL`);
  }
  return { host: url.host, scheme: url.protocol === "http:" ? "http" : "https" };
}
function registryScheme(registry, plainHttp = []) {
  return isExempt(registry, plainHttp) ? "http" : "https";
}
function withScheme(inner, options) {
  return (req) => {
    const url = new URL(req.url);
    if (url.host !== options.host || url.protocol === `${options.scheme}:`) return inner(req);
    url.protocol = `${options.scheme}:`;
    return inner({ ...req, url: url.toString() });
  };
}

// src/registry/credentials/types.ts
var IDENTITY_TOKEN_USERNAME = "<token>";
function isIdentityToken(credential) {
  return credential?.username === IDENTITY_TOKEN_USERNAME;
}

// src/registry/transport/auth-basic.ts
function basicHeader(credential) {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}
function withBasicAuth(inner, options) {
  let current;
  const load = (refresh) => {
    current = options.keychain.get(options.registry, refresh ? { refresh } : void 0).then((cred) => {
      if (cred) {
        if (options.secret) registerCredential(options.secret, cred);
      }
      return isIdentityToken(cred) ? void 0 : cred;
    });
    current.catch(() => {
      current = void 0;
    });
    return current;
  };
  const send = async (req, cred) => {
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

// src/registry/transport/ping.ts
function parseChallenge(header) {
  if (!header) return { scheme: "none" };
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!match) return { scheme: "none" };
  const scheme = match[1].toLowerCase();
  const params = parseParams(match[2] ?? "");
  if (scheme === "basic")
    return params.realm ? { scheme: "basic", realm: params.realm } : { scheme: "basic" };
  if (scheme !== "bearer" || !params.realm) return { scheme: "none" };
  const out = { scheme: "bearer", realm: params.realm };
  if (params.service !== void 0) out.service = params.service;
  if (params.scope !== void 0) out.scope = params.scope;
  if (params.error !== void 0) out.error = params.error;
  return out;
}
function parseParams(text) {
  const params = {};
  const pattern = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  for (const m of text.matchAll(pattern)) {
    const key = m[1].toLowerCase();
    if (key in params) continue;
    params[key] = m[2] !== void 0 ? m[2].replace(/\\(.)/g, "$1") : m[3] ?? "";
  }
  return params;
}
async function ping(inner, baseUrl) {
  const req = { method: "GET", url: `${baseUrl}/v2/` };
  const res = await inner(req);
  if (res.status === 401) {
    discardBody(res);
    return parseChallenge(res.headers["www-authenticate"]);
  }
  await checkResponse(req, res, 200);
  discardBody(res);
  return { scheme: "none" };
}

// src/registry/transport/auth-bearer.ts
function createBearerState() {
  return { tokens: /* @__PURE__ */ new Map(), rotated: void 0 };
}
var OAUTH_CLIENT_ID = "ar-mirror";
var TOKEN_BODY_LIMIT = 1024 * 1024;
function withBearerAuth(inner, options) {
  checkRealm(options.realm, options.allowHttpRealm ?? false, options.isAllowedHost);
  const now = options.now ?? Date.now;
  let scopes = [...options.scopes];
  const state = options.state ?? createBearerState();
  const cached2 = createTokenCache(now, state.tokens);
  const key = () => `${options.realm} ${options.service ?? ""} ${scopes.join(" ")}`;
  const token = (refresh) => cached2(
    key(),
    refresh,
    () => fetchToken({ ...options, scopes }, { refresh, now, rotated: state.rotated }).then((t) => {
      options.secret?.(t.value);
      if (t.refreshToken) {
        options.secret?.(t.refreshToken);
        state.rotated = t.refreshToken;
      }
      return t;
    })
  );
  const send = (req, t) => inner({ ...req, headers: { ...req.headers, authorization: `Bearer ${t.value}` } });
  return async (req) => {
    if (new URL(req.url).host !== options.host) return inner(req);
    const first = await token(false);
    const res = await send(req, first);
    if (res.status !== 401 || !isReplayable(req.body)) return res;
    discardBody(res);
    const challenge = parseChallenge(res.headers["www-authenticate"]);
    const widened = challenge.scheme === "bearer" && !!challenge.scope && !scopes.includes(challenge.scope);
    if (widened) scopes = [challenge.scope, ...scopes];
    const current = widened ? void 0 : await token(false);
    return send(req, current && current.value !== first.value ? current : await token(true));
  };
}
function createTokenCache(now, cache) {
  return (key, refresh, fetch) => {
    const cached2 = cache.get(key);
    if (cached2 && !refresh && cached2.expiresAt > now()) return cached2.token;
    const entry = { token: fetch(), expiresAt: Number.POSITIVE_INFINITY };
    cache.set(key, entry);
    entry.token.then(
      (t) => {
        entry.expiresAt = t.expiresAt;
      },
      () => cache.get(key) === entry && cache.delete(key)
    );
    return entry.token;
  };
}
function checkRealm(realm, allowHttp, isAllowedHost) {
  let url;
  try {
    url = new URL(realm);
  } catch {
    throw new MirrorError(`token realm "${realm}" is not a URL`);
  }
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) {
    throw new MirrorError(`token realm ${url.origin} must use https`);
  }
  if (isAllowedHost && !isAllowedHost(url)) {
    throw new MirrorError(
      `token realm ${url.origin} is a loopback or link-local host the registry may not send us to`
    );
  }
}
async function fetchToken(options, state) {
  const credential = await options.keychain.get(
    options.registry,
    state.refresh ? { refresh: true } : void 0
  );
  if (credential) {
    if (options.secret) registerCredential(options.secret, credential);
  }
  const req = isIdentityToken(credential) ? refreshTokenRequest(options, state.rotated ?? credential.password) : basicTokenRequest(options, credential);
  const res = await options.tokenTransport(req);
  await checkResponse(req, res, 200);
  const body = await readBody(res, TOKEN_BODY_LIMIT);
  return parseTokenResponse(body, state.now());
}
function basicTokenRequest(options, credential) {
  const url = new URL(options.realm);
  if (options.service) url.searchParams.set("service", options.service);
  for (const scope of options.scopes) url.searchParams.append("scope", scope);
  return {
    method: "GET",
    url: url.toString(),
    headers: credential ? { authorization: basicHeader(credential) } : {}
  };
}
function refreshTokenRequest(options, refreshToken) {
  const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken });
  if (options.service) form.set("service", options.service);
  if (options.scopes.length > 0) form.set("scope", options.scopes.join(" "));
  form.set("client_id", OAUTH_CLIENT_ID);
  return {
    method: "POST",
    url: options.realm,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: Buffer.from(form.toString())
  };
}
function parseTokenResponse(body, now) {
  let parsed;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw new MirrorError("token endpoint answered with something that is not JSON");
  }
  const value = typeof parsed.token === "string" && parsed.token ? parsed.token : parsed.access_token;
  if (typeof value !== "string" || value === "") {
    throw new MirrorError('token endpoint answered without "token" or "access_token"');
  }
  if (!/^[\x21-\x7e]{1,65536}$/.test(value)) {
    throw new MirrorError("token endpoint answered with a token that is not header-safe text");
  }
  const lifetime = typeof parsed.expires_in === "number" && parsed.expires_in > 0 ? parsed.expires_in : 60;
  const expiresAt = now + Math.max(lifetime * 1e3 - 1e4, lifetime * 500);
  const refresh = parsed.refresh_token;
  return typeof refresh === "string" && refresh !== "" ? { value, expiresAt, refreshToken: refresh } : { value, expiresAt };
}

// src/registry/transport/auth-late.ts
function withLateChallenge(inner, authFor, onChallenge) {
  let authed;
  return async (req) => {
    if (authed) return authed(req);
    const res = await inner(req);
    if (res.status !== 401 || !isReplayable(req.body)) return res;
    const challenge = parseChallenge(res.headers["www-authenticate"]);
    if (challenge.scheme === "none") return res;
    discardBody(res);
    authed ??= authFor(challenge);
    onChallenge?.(challenge);
    return authed(req);
  };
}

// src/registry/transport/auth-first.ts
function withFirstChallenge(inner, authFor, learned) {
  let chosen;
  const self = async (req) => {
    if (chosen) return (await chosen)(req);
    let settle = () => {
    };
    chosen = new Promise((resolve2) => {
      settle = resolve2;
    });
    let res;
    try {
      res = await inner(req);
    } catch (err) {
      chosen = void 0;
      settle(self);
      throw err;
    }
    const challenge = res.status === 401 ? parseChallenge(res.headers["www-authenticate"]) : void 0;
    if (challenge === void 0 || challenge.scheme === "none") {
      settle(withLateChallenge(inner, authFor, learned));
      if (res.status !== 401) learned({ scheme: "none" });
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

// src/registry/transport/base.ts
import http from "node:http";

// src/registry/transport/lookup.ts
import dns from "node:dns";
var LOCAL_ADDRESS_CODE = "ERR_AR_MIRROR_LOCAL_ADDRESS";
var LocalAddressError = class extends MirrorError {
  code = LOCAL_ADDRESS_CODE;
};
function createGuardedLookup(lookup = dns.lookup) {
  return (hostname, options, callback) => {
    const wantsAll = options.all === true;
    lookup(hostname, { ...options, all: true }, (err, result2, family) => {
      if (err) return callback(err, "", 0);
      const addresses = Array.isArray(result2) ? result2 : [{ address: String(result2), family: family ?? 4 }];
      const local = addresses.find((a) => isLocalAddress(a.address));
      if (local || addresses.length === 0) {
        const why = local ? `resolves to ${local.address}, a loopback, link-local or metadata address` : "resolves to no address";
        return callback(new LocalAddressError(`${hostname} ${why}; refusing to connect`), "", 0);
      }
      if (wantsAll) return callback(null, addresses);
      const first = addresses[0];
      return callback(null, first.address, first.family);
    });
  };
}

// src/registry/transport/base.ts
function createConnectionPool(options = {}) {
  const guarded = createDispatchers(options, createGuardedLookup(options.lookup));
  const local = createDispatchers(options, options.lookup);
  return {
    request: guarded.request,
    requestLocal: local.request,
    async close() {
      await Promise.all([guarded.close(), local.close()]);
    }
  };
}
var H2_WINDOW = 4 * 1024 * 1024;
function createDispatchers(options, lookup) {
  const connections = options.connections ?? 8;
  const timeouts = { headers: options.headersTimeoutMs ?? 12e4, body: options.bodyTimeoutMs ?? 3e5 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, ...lookup ? { lookup } : {} });
  let undici;
  const loadUndici = () => {
    undici ??= import("./undici-MNYS46WB.js").then((m) => ({
      request: m.request,
      agent: new m.Agent({
        allowH2: options.http2 ?? true,
        // An h2 stream may only have its window in flight: undici's 256 KiB is 6 MB/s at a 40 ms
        // round trip. H2_WINDOW covers a blob stream at tens of MB/s across an ocean; undici runs
        // one request per connection (pipelining 1), so the connection needs no more.
        initialWindowSize: H2_WINDOW,
        connectionWindowSize: H2_WINDOW,
        connections,
        keepAliveTimeout: 3e4,
        bodyTimeout: timeouts.body,
        headersTimeout: timeouts.headers,
        connect: { ...options.ca ? { ca: options.ca } : {}, ...lookup ? { lookup } : {} }
      })
    }));
    return undici;
  };
  return {
    request: async (req) => {
      try {
        if (req.url.startsWith("http:")) return await httpRequest(agent, req, timeouts);
        const u = await loadUndici();
        return await undiciRequest(u.request, u.agent, req);
      } catch (err) {
        throw networkError(req, err);
      }
    },
    async close() {
      agent.destroy();
      if (undici) await (await undici).agent.destroy();
    }
  };
}
async function undiciRequest(request, dispatcher, req) {
  const res = await request(req.url, {
    method: req.method,
    headers: req.headers ?? {},
    body: req.body ?? null,
    signal: req.signal,
    dispatcher
  });
  return { status: res.statusCode, headers: normaliseHeaders(res.headers), body: res.body, url: req.url };
}
function httpRequest(agent, req, timeouts) {
  return new Promise((resolve2, reject) => {
    const outgoing = http.request(req.url, {
      method: req.method,
      headers: req.headers ?? {},
      agent,
      signal: req.signal
    });
    watchHeaders(outgoing, timeouts.headers);
    outgoing.on("response", (res) => {
      watchBodyIdle(res, timeouts.body);
      resolve2({
        status: res.statusCode ?? 0,
        headers: normaliseHeaders(res.headers),
        body: res,
        url: req.url
      });
    });
    outgoing.on("error", reject);
    const body = req.body;
    if (body === void 0 || typeof body === "string" || Buffer.isBuffer(body)) {
      outgoing.end(body);
      return;
    }
    body.on("error", (err) => {
      outgoing.destroy(err);
      reject(err);
    });
    body.pipe(outgoing);
  });
}
function watchHeaders(outgoing, ms) {
  let timer;
  outgoing.on("finish", () => {
    timer = setTimeout(() => outgoing.destroy(timeoutError("UND_ERR_HEADERS_TIMEOUT", ms)), ms);
  });
  const stop = () => clearTimeout(timer);
  outgoing.on("response", stop);
  outgoing.on("close", stop);
}
function watchBodyIdle(res, ms) {
  const socket = res.socket;
  const onIdle = () => res.destroy(timeoutError("UND_ERR_BODY_TIMEOUT", ms));
  socket.setTimeout(ms, onIdle);
  res.once("close", () => {
    socket.setTimeout(0);
    socket.off("timeout", onIdle);
  });
}
function timeoutError(code, ms) {
  const what = code === "UND_ERR_HEADERS_TIMEOUT" ? "response headers" : "response body data";
  return Object.assign(new Error(`no ${what} within ${ms} ms`), { code });
}
function createBaseRoundTrip(pool, mayResolveLocal = () => false) {
  return (req) => mayResolveLocal(new URL(req.url)) ? pool.requestLocal(req) : pool.request(req);
}
var TEMPORARY_NETWORK_CODES = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT"
]);
function networkError(req, err) {
  if (err instanceof RegistryError) return err;
  const local = findCause(err, LocalAddressError);
  if (local)
    return new RegistryError({ method: req.method, url: req.url, reason: local.message, temporary: false });
  const code = errorCode(err);
  return new RegistryError({
    method: req.method,
    url: req.url,
    reason: code ? `connection failed (${code})` : "connection failed",
    temporary: code !== void 0 && TEMPORARY_NETWORK_CODES.has(code),
    cause: err
  });
}
function findCause(err, type) {
  let current = err;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    if (current instanceof type) return current;
    current = current.cause;
  }
  return void 0;
}
function errorCode(err) {
  let current = err;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth++) {
    const code = current.code;
    if (typeof code === "string" && code !== "UND_ERR_ABORTED") return code;
    current = current.cause;
  }
  return void 0;
}
function normaliseHeaders(raw) {
  const out = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === void 0) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

// src/registry/transport/deadline.ts
var DEFAULT_REQUEST_DEADLINE_MS = 6e4;
function isStreamRequest(req) {
  return req.stream === true || !isReplayable(req.body);
}
function withRequestDeadline(inner, ms = DEFAULT_REQUEST_DEADLINE_MS) {
  return async (req) => {
    if (isStreamRequest(req)) return inner(req);
    const controller = new AbortController();
    const expired = () => new RegistryError({
      method: req.method,
      url: req.url,
      reason: `no complete answer within ${ms} ms`,
      temporary: true
    });
    let body;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (body) body.destroy(expired());
      else controller.abort(expired());
    }, ms);
    timer.unref();
    const signal = req.signal ? AbortSignal.any([req.signal, controller.signal]) : controller.signal;
    try {
      const res = await inner({ ...req, signal });
      body = res.body;
      const stop = () => clearTimeout(timer);
      body.once("close", stop);
      body.once("end", stop);
      return res;
    } catch (err) {
      clearTimeout(timer);
      throw timedOut ? expired() : err;
    }
  };
}
function withJobSignal(inner, signal) {
  if (!signal) return inner;
  return (req) => {
    if (req.detached) return inner(req);
    if (signal.aborted) return Promise.reject(signal.reason);
    return inner({ ...req, signal: req.signal ? AbortSignal.any([req.signal, signal]) : signal });
  };
}
async function sleepUnlessAborted(sleep, ms, signal) {
  if (!signal) return sleep(ms);
  if (signal.aborted) throw signal.reason;
  let onAbort;
  const aborted = new Promise((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

// src/registry/transport/log.ts
function parseRateLimit(headers) {
  const remaining = /^\s*(\d+)(?:;w=(\d+))?/.exec(headers["ratelimit-remaining"] ?? "");
  if (!remaining) return void 0;
  const out = { remaining: Number(remaining[1]) };
  const limit = /^\s*(\d+)/.exec(headers["ratelimit-limit"] ?? "");
  if (limit) out.limit = Number(limit[1]);
  if (remaining[2]) out.windowSeconds = Number(remaining[2]);
  return out;
}
var LOW_HEADROOM = 10;
function withLogging(inner, logger, apiHost) {
  const readsQuota = apiHost === DOCKER_HUB_API_HOST;
  let lastRemaining;
  let warned = false;
  return async (req) => {
    const started = logger.isDebug ? performance.now() : 0;
    const res = await inner(req);
    if (logger.isDebug) {
      const ms = Math.round(performance.now() - started);
      logger.debug(`${req.method} ${redactUrl(req.url)} \u2192 ${res.status} (${ms} ms)`);
    }
    const rate = readsQuota ? parseRateLimit(res.headers) : void 0;
    if (rate && rate.remaining !== lastRemaining) {
      lastRemaining = rate.remaining;
      const of = rate.limit !== void 0 ? ` of ${rate.limit}` : "";
      const per = rate.windowSeconds !== void 0 ? ` per ${rate.windowSeconds / 3600} h` : "";
      const line = `Docker Hub pull limit: ${rate.remaining}${of} pulls left${per}`;
      if (rate.remaining < LOW_HEADROOM && !warned) {
        warned = true;
        logger.warning(line);
      } else logger.info(line);
    }
    return res;
  };
}

// src/registry/transport/redirect.ts
var REDIRECTS = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
var MAX_REDIRECTS = 10;
var RedirectError = class extends MirrorError {
};
function withRedirects(inner, options = {}) {
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") return inner(req);
    const origin = new URL(req.url).origin;
    let current = req;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const res = await inner(current);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location) return res;
      discardBody(res);
      const next = new URL(location, res.url || current.url);
      checkRedirect(current.url, next, options);
      const headers = { ...current.headers };
      if (next.origin !== origin) delete headers.authorization;
      current = { ...current, url: next.toString(), headers };
    }
    throw new RedirectError(`${req.method} ${redactUrl(req.url)}: more than ${MAX_REDIRECTS} redirects`);
  };
}
function checkRedirect(from, next, options) {
  const was = new URL(from).protocol;
  const refuse = (why) => {
    throw new RedirectError(
      `${redactUrl(from)}: refusing the redirect to ${redactUrl(next.toString())}: ${why}`
    );
  };
  if (next.protocol !== "https:" && next.protocol !== "http:") refuse("not http(s)");
  if (was === "https:" && next.protocol === "http:") refuse("it downgrades https to http");
  if (options.isAllowedHost && !options.isAllowedHost(next)) refuse("a loopback or link-local host");
}

// src/registry/transport/retry.ts
var RETRY_STATUSES = /* @__PURE__ */ new Set([408, 429, 500, 502, 503, 504]);
function resolveRetryOptions(options = {}) {
  return {
    attempts: Math.max(1, options.attempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 1e3,
    maxDelayMs: options.maxDelayMs ?? 6e4,
    sleep: options.sleep ?? ((ms) => new Promise((resolve2) => setTimeout(resolve2, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now
  };
}
function withRetry(inner, options = {}) {
  const opts = resolveRetryOptions(options);
  return async (req) => {
    const canRetry = req.retry !== false && isReplayable(req.body);
    for (let attempt = 1; ; attempt++) {
      const last = !canRetry || attempt >= opts.attempts;
      let res;
      try {
        res = await inner(req);
      } catch (err) {
        if (last || !(err instanceof RegistryError) || !err.temporary) throw err;
        await sleepUnlessAborted(opts.sleep, retryDelay(attempt, void 0, opts), req.signal);
        continue;
      }
      if (last || !RETRY_STATUSES.has(res.status)) return res;
      discardBody(res);
      await sleepUnlessAborted(opts.sleep, retryDelay(attempt, res.headers["retry-after"], opts), req.signal);
    }
  };
}
function retryDelay(attempt, retryAfter2, options) {
  const fromHeader = parseRetryAfter(retryAfter2, options.now());
  if (fromHeader !== void 0) return Math.min(fromHeader, options.maxDelayMs);
  const exponential = options.baseDelayMs * 2 ** (attempt - 1);
  const jittered = exponential * (0.5 + options.random());
  return Math.round(Math.min(jittered, options.maxDelayMs));
}
function parseRetryAfter(value, now) {
  if (value === void 0) return void 0;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return void 0;
  return Math.max(0, date - now);
}

// src/registry/transport/scope.ts
var OutOfScopeError = class extends MirrorError {
};
var API_PATHS = [
  /^manifests\/[A-Za-z0-9_][A-Za-z0-9_.:-]{0,199}$/,
  /^blobs\/[a-z0-9]+:[a-f0-9]+$/,
  /^blobs\/uploads\/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]{1,512})?$/,
  /^referrers\/[a-z0-9]+:[a-f0-9]+$/,
  /^tags\/list$/
];
function isApiPathOf(pathname, repositories) {
  if (pathname === "/v2/") return true;
  if (pathname.includes("%")) return false;
  return repositories.some((repository) => {
    const prefix = `/v2/${repository}/`;
    if (!pathname.startsWith(prefix)) return false;
    const rest = pathname.slice(prefix.length);
    return API_PATHS.some((pattern) => pattern.test(rest));
  });
}
function isInScope(pathname, repositories) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  const inApi = (path2) => /^\/+v2(?:\/|$)/i.test(path2);
  return inApi(pathname) || inApi(decoded) ? isApiPathOf(pathname, repositories) : true;
}
function withRepositoryScope(inner, scope) {
  const host = scope.host.toLowerCase();
  return (req) => {
    const url = new URL(req.url);
    if (url.host.toLowerCase() === host && !isInScope(url.pathname, scope.repositories)) {
      return Promise.reject(
        new OutOfScopeError(
          `refusing ${req.method} ${redactUrl(req.url)}: outside the repositories of this copy (${scope.repositories.join(", ")})`
        )
      );
    }
    return inner(req);
  };
}

// src/registry/transport/index.ts
function createRegistryAuth(probe = "ping") {
  return { probe, challenge: void 0, bearer: createBearerState() };
}
function createTransport(options) {
  const logger = options.logger ?? silentLogger;
  const endpoint = options.endpoints?.[options.registry];
  const { host, scheme } = endpoint ? parseEndpoint(endpoint) : {
    host: registryHost(options.registry),
    scheme: registryScheme(registryHost(options.registry), options.plainHttp ?? [])
  };
  const baseUrl = `${scheme}://${host}`;
  const policy = createTargetPolicy(registryHost(options.registry), baseUrl, [
    ...options.plainHttp ?? [],
    ...Object.values(options.endpoints ?? {}).map((url) => parseEndpoint(url).host)
  ]);
  const plain = plainRoundTrip(options, { host, scheme, policy, logger });
  const isAllowedHost = policy.allows;
  const scoped = (inner) => withRepositoryScope(inner, { host: policy.apiHost, repositories: options.repositories });
  const shared = options.auth ?? createRegistryAuth();
  const withAuth = authBuilder(options, {
    host,
    scheme,
    plain,
    isAllowedHost,
    logger,
    bearer: shared.bearer
  });
  const connect = createConnector({
    shared,
    ping: () => ping(plain, baseUrl),
    learnFromFirst: () => withFirstChallenge(
      plain,
      (challenge) => withAuth(plain, challenge),
      (challenge) => {
        shared.challenge = Promise.resolve(challenge);
      }
    ),
    build: (auth) => withJobSignal(
      withRedirects(scoped(typeof auth === "function" ? auth : withAuth(plain, auth)), { isAllowedHost }),
      options.signal
    )
  });
  return { baseUrl, isAllowedHost, roundTrip: async (req) => (await connect())(req) };
}
function createConnector(parts) {
  let authed;
  return () => {
    if (authed) return authed;
    const connecting = learnChallenge(parts.shared, parts).then(parts.build);
    authed = connecting;
    connecting.catch(() => {
      if (authed === connecting) authed = void 0;
    });
    return connecting;
  };
}
function plainRoundTrip(options, ctx) {
  const network = options.base ?? createBaseRoundTrip(requirePool(options.pool), ctx.policy.mayResolveLocal);
  const observed = options.observe ? async (req) => {
    const res = await network(req);
    options.observe?.(req, res);
    return res;
  } : network;
  const bottom = withTargetPolicy(observed, ctx.policy);
  const timed = withRequestDeadline(
    withLogging(bottom, ctx.logger, ctx.policy.apiHost),
    options.requestDeadlineMs
  );
  const scheme = { host: ctx.host, scheme: ctx.scheme };
  return withJobSignal(withScheme(withRetry(timed, options.retry), scheme), options.signal);
}
function authBuilder(options, ctx) {
  const withAuth = (inner, challenge) => {
    const common = {
      host: ctx.host,
      registry: options.registry,
      keychain: options.keychain,
      secret: (value) => ctx.logger.secret(value)
    };
    if (challenge.scheme === "basic") return withBasicAuth(inner, common);
    if (challenge.scheme === "none") return withLateChallenge(inner, (late) => withAuth(inner, late));
    return withBearerAuth(inner, {
      ...common,
      realm: challenge.realm,
      ...challenge.service !== void 0 ? { service: challenge.service } : {},
      scopes: options.scopes,
      tokenTransport: ctx.plain,
      allowHttpRealm: ctx.scheme === "http",
      isAllowedHost: ctx.isAllowedHost,
      state: ctx.bearer
    });
  };
  return withAuth;
}
function learnChallenge(shared, probes) {
  const pingAndShare = () => {
    const pinged = probes.ping();
    shared.challenge = pinged;
    pinged.catch(() => {
      if (shared.challenge === pinged) shared.challenge = void 0;
    });
    return pinged;
  };
  if (shared.challenge) return shared.challenge.catch(pingAndShare);
  if (shared.probe === "first-request") return Promise.resolve(probes.learnFromFirst());
  return pingAndShare();
}
function requirePool(pool) {
  if (!pool) throw new TypeError("createTransport needs a connection pool or a base round trip");
  return pool;
}

// src/registry/credentials/docker-config.ts
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// src/registry/credentials/hosts.ts
var DOCKER_HUB_HOST = DOCKER_HUB;
var DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";
function normaliseRegistryHost(text) {
  let host = text.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(host);
  if (scheme) host = host.slice(scheme[0].length);
  const slash = host.indexOf("/");
  if (slash >= 0) host = host.slice(0, slash);
  host = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB_HOST : host;
}
function isGoogleRegistryHost(host) {
  const name = normaliseRegistryHost(host).replace(/:\d+$/, "");
  return name.endsWith(".pkg.dev") || name === "gcr.io" || name.endsWith(".gcr.io");
}
function helperServerUrl(host) {
  return normaliseRegistryHost(host) === DOCKER_HUB_HOST ? DOCKER_HUB_SERVER_URL : normaliseRegistryHost(host);
}

// src/registry/credentials/docker-config.ts
function defaultDockerConfigDir(env) {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), ".docker");
}
var isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
var stringsOnly = (value) => isRecord(value) ? Object.fromEntries(
  Object.entries(value).filter((entry) => typeof entry[1] === "string")
) : {};
async function readDockerConfig(dir) {
  const file = path.join(dir, "config.json");
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return void 0;
    throw new ConfigError(`cannot read Docker config ${file}: ${errorMessage(err)}`, { cause: err });
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`Docker config ${file} is not valid JSON`);
  }
  if (!isRecord(parsed)) throw new ConfigError(`Docker config ${file} must hold a JSON object`);
  const auths = isRecord(parsed.auths) ? parsed.auths : {};
  const credsStore = typeof parsed.credsStore === "string" && parsed.credsStore ? parsed.credsStore : void 0;
  return { path: file, auths, credHelpers: stringsOnly(parsed.credHelpers), credsStore };
}
function findByHost(entries, host) {
  if (Object.hasOwn(entries, host)) return [host, entries[host]];
  return Object.entries(entries).find(([key]) => normaliseRegistryHost(key) === host);
}
function decodeInline(config, key, entry) {
  if (!isRecord(entry)) return void 0;
  if (typeof entry.identitytoken === "string" && entry.identitytoken !== "") {
    return {
      kind: "inline",
      credential: { username: IDENTITY_TOKEN_USERNAME, password: entry.identitytoken }
    };
  }
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0)
      throw new ConfigError(
        `Docker config ${config.path}: auths["${key}"].auth is not base64 of USER:PASSWORD`
      );
    return {
      kind: "inline",
      credential: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
    };
  }
  if (typeof entry.username === "string" && typeof entry.password === "string" && entry.username !== "") {
    return { kind: "inline", credential: { username: entry.username, password: entry.password } };
  }
  return void 0;
}
var HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
function helperEntry(config, name, host) {
  if (!HELPER_NAME.test(name))
    throw new ConfigError(`Docker config ${config.path}: invalid credential helper name "${name}"`);
  return { kind: "helper", helper: name, serverUrl: helperServerUrl(host) };
}
function lookupDockerConfig(config, host) {
  const wanted = normaliseRegistryHost(host);
  const helper = findByHost(config.credHelpers, wanted);
  if (helper) return helperEntry(config, helper[1], wanted);
  const inline = findByHost(config.auths, wanted);
  const entry = inline && decodeInline(config, inline[0], inline[1]);
  if (entry) return entry;
  return config.credsStore ? helperEntry(config, config.credsStore, wanted) : void 0;
}

// src/registry/credentials/helper.ts
import { spawn } from "node:child_process";
var NOT_FOUND = "credentials not found in native keychain";
var MAX_OUTPUT = 64 * 1024;
function execute(executable, serverUrl, options) {
  return new Promise((resolve2, reject) => {
    const child = spawn(executable, ["get"], {
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "ignore"],
      detached: true
    });
    let stdout = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid === void 0) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, options.timeoutMs ?? 1e4);
    child.stdout.on("data", (chunk) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString("utf8");
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve2({ code, signal, stdout, timedOut });
    });
    child.stdin.on("error", () => {
    });
    child.stdin.end(serverUrl);
  });
}
async function runCredentialHelper(name, serverUrl, options = {}) {
  const executable = `docker-credential-${name}`;
  let run;
  try {
    run = await execute(executable, serverUrl, options);
  } catch (err) {
    const missing = err.code === "ENOENT";
    const reason = missing ? "it is not on PATH" : "it could not be started";
    throw new MirrorError(`credential helper ${executable} for ${serverUrl}: ${reason}`, { cause: err });
  }
  if (run.timedOut) {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} did not answer within ${options.timeoutMs ?? 1e4} ms`
    );
  }
  if (run.code !== 0) {
    if (run.stdout.trim() === NOT_FOUND) return void 0;
    const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
    throw new MirrorError(`credential helper ${executable} for ${serverUrl} ${how}`);
  }
  return parseHelperOutput(executable, serverUrl, run.stdout);
}
function parseHelperOutput(executable, serverUrl, stdout) {
  let parsed;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} printed something that is not JSON`
    );
  }
  const { Username: username, Secret: password } = parsed ?? {};
  if (typeof username !== "string" || typeof password !== "string") {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} printed JSON without Username and Secret`
    );
  }
  if (password === "") return void 0;
  return { username, password };
}

// src/registry/credentials/keychain.ts
var GOOGLE_TOKEN_USERNAME = "oauth2accesstoken";
function createKeychain(options = {}) {
  return new DefaultKeychain(options);
}
var DefaultKeychain = class {
  constructor(options) {
    this.options = options;
    const env = options.env ?? process.env;
    this.env = env;
    this.logger = options.logger ?? silentLogger;
    for (const [host, credential] of Object.entries(options.explicit ?? {})) {
      this.register(credential);
      this.explicit.set(normaliseRegistryHost(host), credential);
    }
    this.runHelper = options.runHelper ?? ((name, serverUrl) => runCredentialHelper(name, serverUrl, { env }));
    this.google = options.google === "adc" ? createAdcTokenSource({ env }) : options.google;
  }
  options;
  env;
  logger;
  explicit = /* @__PURE__ */ new Map();
  runHelper;
  google;
  helperCache = /* @__PURE__ */ new Map();
  config;
  async get(registry, request = {}) {
    const host = normaliseRegistryHost(registry);
    const refresh = request.refresh ?? false;
    const given = this.explicit.get(host);
    if (given) return given;
    const configured = await this.fromDockerConfig(host, refresh);
    if (configured) return configured;
    if (!this.google || !isGoogleRegistryHost(host)) return void 0;
    const token = await this.google.getAccessToken({ refresh });
    const credential = { username: GOOGLE_TOKEN_USERNAME, password: token };
    this.register(credential);
    return credential;
  }
  async fromDockerConfig(host, refresh) {
    this.config ??= readDockerConfig(this.options.dockerConfigDir ?? defaultDockerConfigDir(this.env));
    const config = await this.config;
    const entry = config && lookupDockerConfig(config, host);
    if (!entry) return void 0;
    if (entry.kind === "inline") {
      this.register(entry.credential);
      return entry.credential;
    }
    const credential = await this.fromHelper(host, entry.helper, entry.serverUrl, refresh);
    if (!credential) return void 0;
    this.register(credential);
    return credential;
  }
  /**
   * Registers the password and `user:password`, whose base64 is the Basic header a hostile
   * registry may echo; the Redactor derives that form and the others (src/secrets.ts).
   */
  register(credential) {
    registerCredential((value) => this.logger.secret(value), credential);
  }
  /** Runs a helper once per host (again on refresh); a failed run is forgotten so the next call retries. */
  fromHelper(host, helper, serverUrl, refresh) {
    if (refresh) this.helperCache.delete(host);
    let pending = this.helperCache.get(host);
    if (!pending) {
      pending = this.runHelper(helper, serverUrl);
      this.helperCache.set(host, pending);
      pending.catch(() => this.helperCache.delete(host));
    }
    return pending;
  }
};

// src/registry/copy.ts
import { setMaxListeners } from "node:events";

// src/registry/blob-upload.ts
import { pipeline, Readable } from "node:stream";

// src/registry/digest.ts
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
function computeDigest(bytes, like) {
  const algorithm = algorithmOf(like);
  return `${algorithm}:${createHash(algorithm).update(bytes).digest("hex")}`;
}
function algorithmOf(digest) {
  return digest?.startsWith("sha512:") ? "sha512" : "sha256";
}
var VERIFIER_BUFFER = 1 << 20;
function verifyBytes(bytes, expected) {
  if (bytes.length !== expected.size) {
    throw new DigestMismatchError(
      `expected ${expected.size} bytes for ${expected.digest}, got ${bytes.length}`
    );
  }
  const actual = computeDigest(bytes, expected.digest);
  if (actual !== expected.digest) {
    throw new DigestMismatchError(`content has digest ${actual}, expected ${expected.digest}`);
  }
}
var DigestMismatchError = class extends MirrorError {
};
function createDigestVerifier(expected, onBytes) {
  const hash = createHash(algorithmOf(expected.digest));
  let held;
  let size = 0;
  return new Transform({
    // Registry sockets deliver 64 KiB chunks; a 16 KiB buffer would pause and resume the source
    // on nearly every chunk.
    highWaterMark: VERIFIER_BUFFER,
    transform(chunk, _encoding, callback) {
      size += chunk.length;
      if (size > expected.size) {
        callback(
          new DigestMismatchError(
            `the source sent more than the ${expected.size} bytes of ${expected.digest}; nothing past them is sent`
          )
        );
        return;
      }
      hash.update(chunk);
      onBytes?.(chunk.length);
      const previous = held;
      held = chunk;
      callback(null, previous);
    },
    flush(callback) {
      const actual = `${algorithmOf(expected.digest)}:${hash.digest("hex")}`;
      if (size !== expected.size) {
        callback(
          new DigestMismatchError(`expected ${expected.size} bytes for ${expected.digest}, got ${size}`)
        );
      } else if (actual !== expected.digest) {
        callback(new DigestMismatchError(`content has digest ${actual}, expected ${expected.digest}`));
      } else {
        callback(null, held);
      }
    }
  });
}

// src/registry/blob-upload.ts
var DEFAULT_MIN_THROUGHPUT = { bytes: 64 * 1024, windowMs: 3e4 };
var TransferStalledError = class extends MirrorError {
};
async function putBytes(endpoint, blob, session) {
  const target2 = session ?? await startUpload(endpoint);
  const upload = { digest: blob.digest, size: blob.size, body: Readable.from([blob.bytes]) };
  try {
    await putBlob(endpoint.rt, target2, blob.onBytes ? { ...upload, onBytes: blob.onBytes } : upload);
  } catch (err) {
    await cancelUpload(endpoint.rt, target2);
    throw err;
  }
}
async function uploadBlob(endpoint, blob) {
  const { rt } = endpoint;
  const [session, body] = await openUpload(endpoint, blob);
  try {
    await putBlob(rt, session, { ...blob, body });
  } catch (err) {
    await cancelUpload(rt, session);
    throw err;
  }
}
async function openUpload(endpoint, blob) {
  const { rt } = endpoint;
  const [session, body] = await Promise.allSettled([blob.session ?? startUpload(endpoint), blob.body]);
  if (session.status === "fulfilled" && body.status === "fulfilled") return [session.value, body.value];
  if (body.status === "fulfilled") body.value.destroy();
  if (session.status === "fulfilled") await cancelUpload(rt, session.value);
  throw body.status === "rejected" ? body.reason : session.reason;
}
async function startUpload(endpoint) {
  const req = { method: "POST", url: endpoint.url, body: Buffer.alloc(0) };
  const res = await endpoint.rt(req);
  await checkResponse(req, res, 202);
  discardBody(res);
  return uploadLocation(req, res, endpoint.isAllowedHost);
}
function uploadLocation(req, res, isAllowedHost) {
  const location = res.headers.location;
  if (!location)
    throw new MirrorError(`${req.method} ${new URL(req.url).pathname}: upload session without Location`);
  const from = new URL(req.url);
  const session = new URL(location, res.url || req.url);
  session.username = "";
  session.password = "";
  const refuse = (why) => new RegistryError({
    method: req.method,
    url: req.url,
    status: res.status,
    temporary: false,
    reason: `refusing the upload Location ${redactUrl(session.toString())}: ${why}`
  });
  if (session.protocol !== "https:" && session.protocol !== "http:") throw refuse("not http(s)");
  if (isAllowedHost && !isAllowedHost(session)) {
    throw refuse("a loopback or link-local host the registry may not send us to");
  }
  if (session.host === from.host) session.protocol = from.protocol;
  else if (from.protocol === "https:" && session.protocol === "http:") {
    throw refuse("it downgrades https to http");
  }
  return session.toString();
}
async function putBlob(rt, session, blob) {
  const url = new URL(session);
  url.searchParams.set("digest", blob.digest);
  const watch = createStallWatch(blob.minThroughput ?? DEFAULT_MIN_THROUGHPUT, blob.onBytes);
  const verifier = createDigestVerifier({ digest: blob.digest, size: blob.size }, watch.onBytes);
  watch.start(verifier);
  let streamError;
  pipeline(blob.body, verifier, (err) => {
    if (err) streamError = err;
  });
  const req = {
    method: "PUT",
    url: url.toString(),
    headers: { "content-type": "application/octet-stream", "content-length": String(blob.size) },
    body: verifier
  };
  const abandon2 = () => {
    watch.stop();
    verifier.destroy();
    blob.body.destroy();
  };
  let res;
  try {
    res = await rt(req);
  } catch (err) {
    abandon2();
    throw streamError ?? err;
  }
  watch.stop();
  if (streamError || res.status !== 201) {
    abandon2();
    if (streamError) {
      discardBody(res);
      throw streamError;
    }
    throw await responseError(req, res);
  }
  discardBody(res);
}
function createStallWatch(min, onBytes) {
  let inWindow = 0;
  let timer;
  const stop = () => clearInterval(timer);
  return {
    onBytes(n) {
      inWindow += n;
      onBytes?.(n);
    },
    start(stream) {
      timer = setInterval(() => {
        if (inWindow < min.bytes) {
          stop();
          stream.destroy(
            new TransferStalledError(
              `the blob moved ${inWindow} bytes in ${min.windowMs} ms, less than the minimum of ${min.bytes}`
            )
          );
        }
        inWindow = 0;
      }, min.windowMs);
      timer.unref();
      stream.once("end", stop);
      stream.once("close", stop);
    },
    stop
  };
}
async function cancelUpload(rt, session) {
  try {
    const res = await rt({ method: "DELETE", url: session, detached: true });
    discardBody(res);
  } catch {
  }
}

// src/registry/pace.ts
var DEFAULT_PACE = { initial: 16, max: 32 };
var PaceAbortedError = class extends MirrorError {
};
function createPace(options = {}) {
  const max = Math.max(1, options.max ?? DEFAULT_PACE.max);
  const min = Math.min(max, Math.max(1, options.min ?? 1));
  const limit = Math.min(max, Math.max(min, options.initial ?? DEFAULT_PACE.initial));
  const state = {
    limit,
    min,
    max,
    active: 0,
    generation: 0,
    slowStart: true,
    credit: 0,
    waiting: []
  };
  return {
    get limit() {
      return state.limit;
    },
    get active() {
      return state.active;
    },
    mark: () => state.generation,
    throttle(mark) {
      cut(state, mark);
      wake(state);
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (state.active < state.limit && state.waiting.length === 0) {
        state.active++;
        return Promise.resolve(slotOf(state));
      }
      return waitForSlot(state, signal);
    }
  };
}
function waitForSlot(state, signal) {
  return new Promise((resolve2, reject) => {
    const waiter = {
      grant: (slot) => {
        signal?.removeEventListener("abort", onAbort);
        resolve2(slot);
      }
    };
    const onAbort = () => {
      const at = state.waiting.indexOf(waiter);
      if (at >= 0) state.waiting.splice(at, 1);
      reject(abortError(signal));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    state.waiting.push(waiter);
  });
}
function slotOf(state) {
  let released = false;
  return {
    release(succeeded) {
      if (released) return;
      released = true;
      state.active--;
      if (succeeded) grow(state);
      wake(state);
    }
  };
}
function wake(state) {
  while (state.active < state.limit && state.waiting.length > 0) {
    state.active++;
    state.waiting.shift()?.grant(slotOf(state));
  }
}
function grow(state) {
  if (!state.slowStart) {
    state.credit += 1 / state.limit;
    if (state.credit < 1) return;
    state.credit = 0;
  }
  state.limit = Math.min(state.max, state.limit + 1);
}
function cut(state, generation) {
  if (generation !== state.generation) return;
  state.generation++;
  state.slowStart = false;
  state.credit = 0;
  state.limit = Math.max(state.min, Math.floor(state.limit / 2));
}
function abortError(signal) {
  return signal?.reason ?? new PaceAbortedError("gave up waiting for a transfer slot");
}
async function acquireSlots(paces, signal) {
  const ordered = [...new Map(paces.map((p) => [p.key, p])).values()].sort(
    (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0
  );
  const held = [];
  try {
    for (const { key, pace } of ordered) held.push({ key, slot: await pace.acquire(signal) });
  } catch (err) {
    for (const { slot } of held) slot.release(false);
    throw err;
  }
  return held;
}

// src/registry/limits.ts
var MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
var MAX_INDEX_DEPTH = 2;
var MAX_INDEX_ENTRIES = 256;
var MAX_LAYERS = 1024;
var MAX_MANIFESTS_PER_JOB = 1024;
var MAX_BLOBS_PER_JOB = 4096;
var MAX_MANIFEST_BYTES_PER_JOB = 64 * 1024 * 1024;
var MAX_REFERRERS = 256;
var MAX_REFERRER_PAGES = 16;
var LimitExceededError = class extends MirrorError {
};
function createJobBudget(limits = {}) {
  const maxManifests = limits.manifests ?? MAX_MANIFESTS_PER_JOB;
  const maxBytes = limits.bytes ?? MAX_MANIFEST_BYTES_PER_JOB;
  const state = { manifests: 0, bytes: 0 };
  const tooMany = () => new LimitExceededError(`the image has more than ${maxManifests} manifests (the limit per copy)`);
  const tooLarge = () => new LimitExceededError(
    `the image's manifests add up to more than ${maxBytes / 1024 / 1024} MiB (the limit per copy)`
  );
  return {
    get manifests() {
      return state.manifests;
    },
    get bytes() {
      return state.bytes;
    },
    chargeManifest(bytes) {
      state.manifests++;
      state.bytes += bytes;
      if (state.manifests > maxManifests) throw tooMany();
      if (state.bytes > maxBytes) throw tooLarge();
    },
    checkRoom() {
      if (state.manifests >= maxManifests) throw tooMany();
      if (state.bytes >= maxBytes) throw tooLarge();
    }
  };
}

// src/registry/upload-body.ts
async function uploadBlobBody(engine, blob, hooks, session) {
  engine.gate.check();
  const host = engine.dst.apiHost;
  const mode = session === void 0 ? engine.session.uploadMode(host, blob.size) : "stream";
  if (mode === "stream") return streamBlob(engine, blob, hooks, session);
  try {
    await sendWhole(engine, blob, hooks);
  } catch (err) {
    if (mode === "probe") engine.session.learnUpload(host, "failed");
    throw err;
  }
}
async function streamBlob(engine, blob, hooks, session) {
  const body = engine.blobSrc.getBlob(engine.srcRepo, blob.digest, blob.size).then((b) => b.body);
  body.catch(() => {
  });
  await passGate(engine, body);
  const upload = {
    digest: blob.digest,
    size: blob.size,
    body,
    onBytes: hooks.onBytes,
    ...session ? { session } : {},
    ...engine.minThroughput ? { minThroughput: engine.minThroughput } : {}
  };
  await engine.blobDst.uploadBlob(engine.dstRepo, upload);
}
async function sendWhole(engine, blob, hooks) {
  let bytes;
  try {
    bytes = await engine.blobSrc.readBlob(engine.srcRepo, blob.digest, blob.size);
  } catch (err) {
    if (err instanceof LimitExceededError) {
      throw new DigestMismatchError(
        `the source sent more than the ${blob.size} bytes of ${blob.digest}; nothing past them is sent`
      );
    }
    throw err;
  }
  verifyBytes(bytes, blob);
  await engine.gate.ready();
  const outcome = await engine.blobDst.uploadMonolithic(engine.dstRepo, {
    digest: blob.digest,
    size: blob.size,
    bytes,
    onBytes: hooks.onBytes
  });
  engine.session.learnUpload(engine.dst.apiHost, outcome);
}
async function passGate(engine, body) {
  try {
    await engine.gate.ready();
  } catch (err) {
    await body.then(
      (b) => b.destroy(),
      () => {
      }
    );
    throw err;
  }
}

// src/registry/write-gate.ts
var WritesCancelledError = class extends MirrorError {
};
function createWriteGate() {
  let failure;
  let opened = false;
  let settle;
  const waiting = new Promise((resolve2, reject) => {
    settle = { resolve: resolve2, reject };
  });
  waiting.catch(() => {
  });
  const cancelled = () => new WritesCancelledError("the copy failed before this blob was written", { cause: failure?.reason });
  return {
    ready: () => failure ? Promise.reject(cancelled()) : opened ? Promise.resolve() : waiting,
    check() {
      if (failure) throw cancelled();
    },
    open() {
      if (opened || failure) return;
      opened = true;
      settle?.resolve();
    },
    close(reason) {
      if (failure) return;
      failure = { reason };
      settle?.reject(cancelled());
    },
    get failure() {
      return failure;
    }
  };
}

// src/registry/blob-transfer.ts
function startBlob(engine, blob) {
  const existing = engine.blobs.get(blob.digest);
  if (existing) return existing;
  engine.progress.addBlobs(1);
  const elsewhere = engine.shared?.find(engine.dst.registry, blob.digest);
  const head = earlyHead(engine, blob, elsewhere !== void 0);
  head.catch(() => {
  });
  const transfer = step(
    `uploading blob ${blob.digest}`,
    () => transferWithRetry(engine, blob, { head, elsewhere })
  );
  if (!elsewhere) engine.shared?.claim(engine.dst.registry, blob.digest, engine.dstRepo, transfer);
  engine.blobs.set(blob.digest, transfer);
  transfer.catch((err) => {
    if (engine.blobs.get(blob.digest) === transfer) engine.blobs.delete(blob.digest);
    if (!(err instanceof MirrorError && err.cause instanceof WritesCancelledError)) engine.gate.close(err);
  });
  return transfer;
}
function earlyHead(engine, blob, elsewhere) {
  const ask = () => engine.heads(() => {
    engine.gate.check();
    return engine.blobDst.headBlob(engine.dstRepo, blob.digest);
  });
  if (!engine.fresh || engine.canMount || elsewhere) return ask();
  return engine.fresh.then((fresh) => fresh ? void 0 : ask());
}
async function transferWithRetry(engine, blob, known) {
  for (let attempt = 1; ; attempt++) {
    let sent = 0;
    const hooks = {
      onUpload: () => attempt === 1 && engine.progress.addBytes(blob.size),
      onBytes: (n) => {
        sent += n;
        engine.progress.bytes(n);
      }
    };
    const marks = engine.paces.map(({ pace }) => pace.mark());
    try {
      const outcome = await transferBlob(engine, blob, hooks, {
        elsewhere: known.elsewhere,
        head: attempt === 1 ? known.head : void 0
      });
      engine.stats[outcome]++;
      if (outcome === "copied") engine.stats.bytes += blob.size;
      engine.logger.debug(`${outcome} ${blob.digest}`);
      engine.progress.blobDone();
      return;
    } catch (err) {
      engine.progress.bytes(-sent);
      slowDown(engine, err, marks);
      if (attempt >= engine.retry.attempts || !isRetryable(err)) throw err;
      engine.logger.warning(`blob transfer failed, starting it again: ${blob.digest}: ${errorMessage(err)}`);
      await sleepUnlessAborted(
        engine.retry.sleep,
        retryDelay(attempt, retryAfter(err), engine.retry),
        engine.signal
      );
    }
  }
}
async function transferBlob(engine, blob, hooks, known) {
  const holder = await known.elsewhere?.catch(() => void 0);
  if (holder === engine.dstRepo) return "skipped";
  const head = known.head ?? engine.blobDst.headBlob(engine.dstRepo, blob.digest);
  if (await head !== void 0) return "skipped";
  engine.gate.check();
  const slots = await acquireSlots(engine.paces, engine.signal);
  let succeeded = false;
  try {
    const outcome = await mountOrUpload(engine, blob, hooks, holder);
    succeeded = true;
    return outcome;
  } finally {
    for (const { slot } of slots) slot.release(succeeded);
  }
}
async function mountOrUpload(engine, blob, hooks, holder) {
  const from = holder ?? (engine.canMount ? engine.srcRepo : void 0);
  let session;
  if (from !== void 0) {
    await engine.gate.ready();
    const mount = await tryMount(engine, blob.digest, from);
    if (mount?.mounted) return "mounted";
    session = mount?.session;
  }
  hooks.onUpload();
  await uploadBlobBody(engine, blob, hooks, session);
  return "copied";
}
async function tryMount(engine, digest, from) {
  try {
    return await engine.blobDst.mountBlob(engine.dstRepo, digest, from);
  } catch (err) {
    if (!(err instanceof RegistryError) || err.temporary) throw err;
    engine.logger.warning(`mount failed, uploading: ${digest} from ${from}: ${err.message}`);
    return void 0;
  }
}
function slowDown(engine, err, marks) {
  if (!(err instanceof RegistryError)) return;
  if (err.status !== 429 && err.status !== 503 && err.retryAfter === void 0) return;
  let host = "";
  try {
    host = new URL(err.url).host;
  } catch {
  }
  const side = host === engine.dst.apiHost ? engine.dst.apiHost : engine.src.apiHost;
  engine.paces.forEach(({ key, pace }, i) => {
    if (key === side) pace.throttle(marks[i] ?? pace.mark());
  });
}
function retryAfter(err) {
  return err instanceof RegistryError ? err.retryAfter : void 0;
}
function isRetryable(err) {
  if (err instanceof RegistryError) return err.temporary;
  if (err instanceof DigestMismatchError || err instanceof TransferStalledError) return true;
  return !(err instanceof MirrorError);
}

// src/registry/copy-engine.ts
function createEngine(init) {
  const { session, src, dst } = init;
  return {
    ...init,
    blobSrc: src.withoutRetries(),
    blobDst: dst.withoutRetries(),
    retry: resolveRetryOptions(init.retry),
    stats: { copied: 0, skipped: 0, mounted: 0, bytes: 0, foreign: [] },
    blobs: /* @__PURE__ */ new Map(),
    manifests: /* @__PURE__ */ new Map(),
    gate: createWriteGate(),
    paces: [src.apiHost, dst.apiHost].map((key) => ({ key, pace: session.pace(key) })),
    heads: createLimiter(init.jobs * 2),
    fetches: createLimiter(Math.min(init.jobs, MANIFEST_FETCHES))
  };
}
var MANIFEST_FETCHES = 6;
async function abandon(engine, reason) {
  engine.gate.close(reason);
  await Promise.allSettled([...engine.blobs.values(), engine.fresh]);
}
var CopyStepError = class extends MirrorError {
};
async function step(label, fn) {
  try {
    return await fn();
  } catch (err) {
    throw new CopyStepError(`${label}: ${errorMessage(err)}`, { cause: err });
  }
}
async function pushImage(engine, tree, tag) {
  engine.progress.phase("blobs");
  engine.gate.open();
  const transfers = tree.blobs.map((blob) => engine.blobs.get(blob.digest) ?? startBlob(engine, blob));
  const settled = await Promise.allSettled(transfers);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw engine.gate.failure?.reason ?? failed.reason;
  engine.progress.phase("manifests");
  await mapLimit(tree.children, tree.nested ? 1 : engine.jobs, (m) => putManifest(engine, m, m.digest));
  await putManifest(engine, tree.top, tag ?? tree.top.digest);
}
async function putManifest(engine, manifest, reference) {
  const what = reference === manifest.digest ? `pushing manifest ${manifest.digest}` : `pushing manifest ${manifest.digest} as ${reference}`;
  await step(what, async () => {
    const digest = await engine.dst.putManifest(engine.dstRepo, reference, manifest);
    if (digest !== manifest.digest) {
      const tagged = reference === manifest.digest ? "" : `; ${reference} now names what it stored`;
      throw new DigestMismatchError(`registry stored it as ${digest}, expected ${manifest.digest}${tagged}`);
    }
  });
}

// src/registry/api-url.ts
function createApiUrls(baseUrl) {
  const root = (repository, rest) => `${baseUrl}/v2/${repository}/${rest}`;
  return {
    manifest: (repository, reference) => root(repository, `manifests/${reference}`),
    blob: (repository, digest) => root(repository, `blobs/${digest}`),
    uploads: (repository, query) => root(repository, `blobs/uploads/${query ? `?${query}` : ""}`),
    referrers: (repository, digest) => root(repository, `referrers/${digest}`),
    tags: (repository) => root(repository, "tags/list?n=1")
  };
}

// src/registry/blob-monolithic.ts
async function uploadMonolithic(endpoint, blob) {
  const url = new URL(endpoint.url);
  url.searchParams.set("digest", blob.digest);
  const req = {
    method: "POST",
    url: url.toString(),
    headers: { "content-type": "application/octet-stream", "content-length": String(blob.size) },
    body: blob.bytes
  };
  const res = await endpoint.rt(req);
  if (res.status === 201) {
    discardBody(res);
    const stored = res.headers["docker-content-digest"]?.trim();
    if (stored && stored !== blob.digest) {
      throw new DigestMismatchError(`the registry stored the blob as ${stored}, expected ${blob.digest}`);
    }
    blob.onBytes?.(blob.size);
    return "accepted";
  }
  if (res.status === 202) {
    discardBody(res);
    await putBytes(endpoint, blob, uploadLocation(req, res, endpoint.isAllowedHost));
    return "refused";
  }
  const error = await responseError(req, res);
  if (!isFormRefusal(error)) throw error;
  await putBytes(endpoint, blob);
  return "refused";
}
function isFormRefusal(error) {
  const status = error.status ?? 0;
  return status >= 400 && status < 500 && ![401, 403, 429].includes(status) && !error.temporary;
}

// src/registry/body.ts
function contentLength(res) {
  const value = res.headers["content-length"];
  if (value === void 0 || !/^\d{1,15}$/.test(value.trim())) return void 0;
  return Number(value.trim());
}
async function readLimited(res, limit, what) {
  const announced = contentLength(res);
  if (announced !== void 0 && announced > limit) {
    discardBody(res);
    throw new LimitExceededError(`${what} is ${announced} bytes; the limit is ${limit}`);
  }
  const bytes = await readBody(res, limit + 1);
  if (bytes.length > limit) throw new LimitExceededError(`${what} is larger than ${limit} bytes`);
  return bytes;
}

// src/registry/media-types.ts
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
var DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(", ");
var SCHEMA1 = /* @__PURE__ */ new Set([
  "application/vnd.docker.distribution.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v1+prettyjws"
]);
var INDEXES = /* @__PURE__ */ new Set([OCI_INDEX, DOCKER_LIST]);
var MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
var MAX_URLS = 16;
var InvalidManifestError = class extends MirrorError {
};
function isIndexMediaType(mediaType) {
  return INDEXES.has(mediaType);
}
function isMediaType(text) {
  return typeof text === "string" && MEDIA_TYPE.test(text);
}
function headerMediaType(header) {
  const type = (header ?? "").split(";")[0].trim();
  return isMediaType(type) ? type : "";
}
function isForeignLayer(layer) {
  return layer.urls !== void 0 && layer.urls.length > 0 || layer.mediaType === "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" || layer.mediaType.startsWith("application/vnd.oci.image.layer.nondistributable.");
}
function parseManifest(bytes, contentType) {
  let doc;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InvalidManifestError("manifest is not valid JSON");
  }
  if (!isRecord2(doc)) throw new InvalidManifestError("manifest is not a JSON object");
  const mediaType = manifestMediaType(doc, contentType);
  if (SCHEMA1.has(mediaType) || doc.schemaVersion === 1) {
    throw new InvalidManifestError(
      "schema 1 manifests are obsolete and not supported; rebuild or re-push the image with a current client"
    );
  }
  const subject = doc.subject === void 0 ? {} : { subject: parseDescriptor(doc.subject, "subject") };
  if (isIndexMediaType(mediaType) || Array.isArray(doc.manifests)) {
    const manifests = descriptorList(doc.manifests, "manifests", MAX_INDEX_ENTRIES);
    return { kind: "index", mediaType, manifests, ...subject };
  }
  if (doc.config === void 0) throw new InvalidManifestError(`manifest of type ${mediaType} has no config`);
  const config = parseDescriptor(doc.config, "config");
  const layers = doc.layers === void 0 ? [] : descriptorList(doc.layers, "layers", MAX_LAYERS);
  return { kind: "image", mediaType, config, layers, ...subject };
}
function manifestMediaType(doc, contentType) {
  if (doc.mediaType !== void 0 && !isMediaType(doc.mediaType)) {
    throw new InvalidManifestError(`manifest mediaType ${quoted(doc.mediaType)} is not a media type`);
  }
  const header = headerMediaType(contentType);
  if (header && header !== "application/json") return header;
  if (typeof doc.mediaType === "string") return doc.mediaType;
  return Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST;
}
function descriptorList(value, field, max) {
  if (!Array.isArray(value))
    throw new InvalidManifestError(`manifest "${field}" is not a list of descriptors`);
  if (value.length > max) {
    throw new LimitExceededError(`manifest "${field}" lists ${value.length} entries; the limit is ${max}`);
  }
  return value.map((item, i) => parseDescriptor(item, `${field}[${i}]`));
}
function parseDescriptor(value, where) {
  if (!isRecord2(value)) throw new InvalidManifestError(`${where} is not a descriptor object`);
  const { mediaType, size } = value;
  if (!isMediaType(mediaType)) {
    throw new InvalidManifestError(`${where}.mediaType ${quoted(mediaType)} is not a media type`);
  }
  const digest = parseDigest(value.digest, `${where}.digest`);
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw new InvalidManifestError(`${where}.size must be a non-negative whole number of bytes`);
  }
  const out = { mediaType, digest, size };
  if (value.urls !== void 0) out.urls = urls(value.urls, where);
  if (value.platform !== void 0) out.platform = parsePlatform(value.platform, where);
  if (value.artifactType !== void 0) {
    if (!isMediaType(value.artifactType)) {
      throw new InvalidManifestError(
        `${where}.artifactType ${quoted(value.artifactType)} is not a media type`
      );
    }
    out.artifactType = value.artifactType;
  }
  if (value.annotations !== void 0) out.annotations = annotations(value.annotations, where);
  return out;
}
function urls(value, where) {
  if (!Array.isArray(value) || value.length > MAX_URLS || !value.every((u) => typeof u === "string")) {
    throw new InvalidManifestError(`${where}.urls must be a list of at most ${MAX_URLS} strings`);
  }
  return value;
}
function annotations(value, where) {
  if (!isRecord2(value) || !Object.values(value).every((v) => typeof v === "string")) {
    throw new InvalidManifestError(`${where}.annotations must map strings to strings`);
  }
  return { ...value };
}
function isRecord2(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function indexPlatforms(manifests) {
  return manifests.flatMap((m) => m.platform ? [formatPlatform(m.platform)] : []);
}

// src/registry/referrers.ts
async function listReferrers(rt, url) {
  const found = /* @__PURE__ */ new Map();
  let next = url;
  for (let page = 0; next !== void 0; page++) {
    if (page >= MAX_REFERRER_PAGES) {
      throw new LimitExceededError(`the referrers listing has more than ${MAX_REFERRER_PAGES} pages`);
    }
    const req = { method: "GET", url: next, headers: { accept: OCI_INDEX } };
    const res = await rt(req);
    if (res.status === 404 && page === 0) {
      discardBody(res);
      return void 0;
    }
    await checkResponse(req, res, 200);
    const bytes = await readLimited(res, MAX_MANIFEST_BYTES, "the referrers listing");
    for (const entry of referrerEntries(bytes, found.size)) found.set(entry.digest, entry);
    if (found.size > MAX_REFERRERS) {
      throw new LimitExceededError(`the image has more than ${MAX_REFERRERS} referrers`);
    }
    next = nextPage(res.headers.link, url, next);
  }
  return [...found.values()];
}
function referrerEntries(bytes, offset) {
  let doc;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InvalidManifestError("the referrers listing is not valid JSON");
  }
  const list = typeof doc === "object" && doc !== null ? doc.manifests : void 0;
  if (list === void 0) return [];
  if (!Array.isArray(list)) throw new InvalidManifestError("the referrers listing has no list of manifests");
  if (list.length > MAX_REFERRERS) {
    throw new LimitExceededError(
      `the referrers listing has ${list.length} entries; the limit is ${MAX_REFERRERS}`
    );
  }
  return list.map((item, i) => parseDescriptor(item, `referrers[${offset + i}]`));
}
function nextPage(link, first, current) {
  if (!link) return void 0;
  const match = /<([^>]*)>\s*;[^,]*\brel="?next"?/i.exec(link);
  if (!match) return void 0;
  const next = new URL(match[1], current);
  const start = new URL(first);
  if (next.origin !== start.origin || next.pathname !== start.pathname) {
    throw new InvalidManifestError("the referrers listing links to a next page on another path");
  }
  return next.toString();
}

// src/registry/client.ts
function createRegistryClient(options) {
  const transport = createTransport(options);
  return bindClient({
    registry: options.registry,
    baseUrl: transport.baseUrl,
    rt: transport.roundTrip,
    isAllowedHost: transport.isAllowedHost,
    budget: options.budget
  });
}
function bindClient(c) {
  const urls2 = createApiUrls(c.baseUrl);
  const upload = (repository) => ({
    rt: c.rt,
    url: urls2.uploads(repository),
    isAllowedHost: c.isAllowedHost
  });
  return {
    registry: c.registry,
    apiHost: new URL(c.baseUrl).host,
    headManifest: (repository, reference) => headManifest(c, urls2.manifest(repository, reference), reference),
    getManifest: (repository, reference) => getManifest(c, urls2.manifest(repository, reference), reference),
    findManifest: (repository, reference) => getManifest(c, urls2.manifest(repository, reference), reference, true),
    repositoryState: (repository) => repositoryState(c, urls2.tags(repository)),
    putManifest: (repository, reference, manifest) => putManifest2(c, urls2.manifest(repository, reference), manifest),
    headBlob: (repository, digest) => headBlob(c, urls2.blob(repository, digest)),
    getBlob: (repository, digest, size) => getBlob(c, urls2.blob(repository, digest), size),
    readBlob: (repository, digest, limit) => readBlob(c, urls2.blob(repository, digest), limit),
    mountBlob: (repository, digest, from) => mountBlob(c, urls2.uploads(repository, new URLSearchParams({ mount: digest, from }))),
    uploadBlob: (repository, blob) => uploadBlob(upload(repository), blob),
    uploadMonolithic: (repository, blob) => uploadMonolithic(upload(repository), blob),
    referrers: (repository, digest) => listReferrers(c.rt, urls2.referrers(repository, digest)),
    withoutRetries: () => bindClient({ ...c, rt: (req) => c.rt({ ...req, retry: false }) })
  };
}
async function headManifest(c, url, reference) {
  const req = { method: "HEAD", url, headers: { accept: MANIFEST_ACCEPT } };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return void 0;
  await checkResponse(req, res, 200);
  const digest = headerDigest(res);
  if (!digest) return void 0;
  if (isDigest(reference) && digest !== reference) {
    throw new DigestMismatchError(`HEAD ${url}: the registry says ${digest} for ${reference}`);
  }
  return { digest, mediaType: headerMediaType(res.headers["content-type"]), size: contentLength(res) ?? 0 };
}
async function getManifest(c, url, reference, missingOk = false) {
  c.budget?.checkRoom();
  const req = { method: "GET", url, headers: { accept: MANIFEST_ACCEPT } };
  const res = await c.rt(req);
  if (missingOk && res.status === 404) {
    discardBody(res);
    return void 0;
  }
  await checkResponse(req, res, 200);
  const claimed = headerDigest(res);
  const bytes = await readLimited(res, MAX_MANIFEST_BYTES, `manifest ${reference}`);
  c.budget?.chargeManifest(bytes.length);
  const digest = computeDigest(bytes, isDigest(reference) ? reference : claimed);
  if (isDigest(reference) && digest !== reference) {
    throw new DigestMismatchError(
      `GET ${url}: manifest content has digest ${digest}, asked for ${reference}`
    );
  }
  if (claimed !== void 0 && computeDigest(bytes, claimed) !== claimed) {
    throw new DigestMismatchError(
      `GET ${url}: manifest content has digest ${digest}, registry says ${claimed}`
    );
  }
  return { digest, mediaType: headerMediaType(res.headers["content-type"]), size: bytes.length, bytes };
}
async function putManifest2(c, url, manifest) {
  const req = { method: "PUT", url, headers: { "content-type": manifest.mediaType }, body: manifest.bytes };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 200);
  discardBody(res);
  return headerDigest(res) ?? computeDigest(manifest.bytes);
}
async function repositoryState(c, url) {
  const req = { method: "GET", url };
  try {
    const res = await c.rt(req);
    if (res.status === 200) {
      discardBody(res);
      return "present";
    }
    const error = await responseError(req, res);
    return error.status === 404 && error.hasCode("NAME_UNKNOWN") ? "absent" : "unknown";
  } catch {
    return "unknown";
  }
}
async function headBlob(c, url) {
  const req = { method: "HEAD", url };
  const res = await c.rt(req);
  discardBody(res);
  if (res.status === 404) return void 0;
  await checkResponse(req, res, 200);
  return contentLength(res) ?? 0;
}
async function getBlob(c, url, size) {
  const req = { method: "GET", url, stream: true };
  const res = await c.rt(req);
  await checkResponse(req, res, 200);
  const announced = contentLength(res);
  if (announced !== void 0 && announced !== size) {
    discardBody(res);
    throw new DigestMismatchError(
      `GET ${url}: the registry announces ${announced} bytes, the descriptor says ${size}`
    );
  }
  return { body: res.body };
}
async function readBlob(c, url, limit) {
  const req = { method: "GET", url };
  const res = await c.rt(req);
  await checkResponse(req, res, 200);
  return readLimited(res, limit, "blob");
}
async function mountBlob(c, url) {
  const req = { method: "POST", url, body: Buffer.alloc(0) };
  const res = await c.rt(req);
  await checkResponse(req, res, 201, 202);
  discardBody(res);
  if (res.status === 201) return { mounted: true };
  return { mounted: false, session: uploadLocation(req, res, c.isAllowedHost) };
}
function headerDigest(res) {
  const value = res.headers["docker-content-digest"];
  if (value === void 0 || value === "") return void 0;
  return parseDigest(value.trim(), "the registry's Docker-Content-Digest header");
}

// src/registry/progress.ts
function createProgressTracker(listener) {
  const state = { phase: "resolving", blobs: { done: 0, total: 0 }, bytes: { done: 0, total: 0 } };
  const emit = () => listener?.(snapshotOf(state));
  return {
    phase(phase) {
      state.phase = phase;
      emit();
    },
    addBlobs(count) {
      state.blobs.total += count;
      emit();
    },
    blobDone() {
      state.blobs.done++;
      emit();
    },
    addBytes(total) {
      state.bytes.total += total;
      emit();
    },
    bytes(n) {
      state.bytes.done += n;
      emit();
    },
    snapshot: () => snapshotOf(state)
  };
}
function snapshotOf(state) {
  return { phase: state.phase, blobs: { ...state.blobs }, bytes: { ...state.bytes } };
}

// src/registry/copy-job.ts
function validateJob(src, dst, platforms) {
  return {
    srcRepo: parseRepository(src.repository, "source"),
    dstRepo: parseRepository(dst.repository, "destination"),
    srcRef: src.digest ? parseDigest(src.digest, "source") : parseTag(src.tag, "source"),
    target: {
      tag: dst.tag === void 0 ? void 0 : parseTag(dst.tag, "destination"),
      digest: dst.digest === void 0 ? void 0 : parseDigest(dst.digest, "destination"),
      platforms,
      reportPlatform: true
    }
  };
}
function createJobEngine(src, dst, job, options) {
  const logger = options.logger ?? silentLogger;
  return createEngine({
    ...clients(src, dst, job, options, logger),
    srcRepo: job.srcRepo,
    dstRepo: job.dstRepo,
    jobs: Math.max(1, options.jobs ?? MANIFEST_JOBS),
    canMount: src.registry === dst.registry && src.repository !== dst.repository,
    immutableTags: options.immutableTags ?? false,
    logger,
    progress: createProgressTracker(options.onProgress),
    retry: options.retry,
    shared: options.sharedBlobs,
    signal: options.signal,
    minThroughput: options.minThroughput,
    session: options.session
  });
}
var MANIFEST_JOBS = 8;
function clients(src, dst, job, options, logger) {
  const { session } = options;
  const common = {
    keychain: options.keychain,
    pool: session.pool,
    plainHttp: options.plainHttp ?? [],
    ...options.endpoints ? { endpoints: options.endpoints } : {},
    logger,
    ...options.retry ? { retry: options.retry } : {},
    signal: options.signal,
    ...options.requestDeadlineMs ? { requestDeadlineMs: options.requestDeadlineMs } : {}
  };
  const pull = `repository:${job.srcRepo}:pull`;
  const dstScopes = [`repository:${job.dstRepo}:push,pull`, ...src.registry === dst.registry ? [pull] : []];
  return {
    // The source client reads only the source repository, and every manifest it fetches is charged to the job.
    src: createRegistryClient({
      ...common,
      registry: src.registry,
      auth: session.auth(src.registry),
      scopes: [pull],
      repositories: [job.srcRepo],
      budget: createJobBudget()
    }),
    // The destination client writes only the destination repository.
    dst: createRegistryClient({
      ...common,
      registry: dst.registry,
      auth: session.auth(dst.registry),
      scopes: dstScopes,
      repositories: [job.dstRepo]
    })
  };
}

// src/registry/collect.ts
function fetchManifest(engine, descriptor) {
  let pending = engine.manifests.get(descriptor.digest);
  if (!pending) {
    pending = step(`fetching manifest ${descriptor.digest}`, async () => {
      const manifest = await engine.fetches(() => engine.src.getManifest(engine.srcRepo, descriptor.digest));
      if (manifest.size !== descriptor.size) {
        throw new DigestMismatchError(`it is ${manifest.size} bytes, its descriptor says ${descriptor.size}`);
      }
      return manifest;
    });
    engine.manifests.set(descriptor.digest, pending);
  }
  return pending;
}
async function collectImage(engine, root, platforms, depth = 0) {
  const parsed = parseManifest(root.bytes, root.mediaType);
  const top = { ...root, mediaType: root.mediaType || parsed.mediaType };
  if (parsed.kind === "image") {
    const blobs = imageBlobs(engine, [parsed.config, ...parsed.layers]);
    checkBlobRoom(engine, blobs);
    for (const blob of blobs) startBlob(engine, blob);
    return { top, children: [], blobs, platforms: [], nested: false };
  }
  if (depth >= MAX_INDEX_DEPTH) {
    throw new LimitExceededError(`indexes nest more than ${MAX_INDEX_DEPTH} levels deep (the limit)`);
  }
  const keep = platforms?.length ? selectPlatforms(parsed.manifests, platforms) : void 0;
  const selected = keep ? parsed.manifests.filter((_, i) => keep[i]) : parsed.manifests;
  const tree = { top: topOf(top, keep), children: [], blobs: [], platforms: [], nested: false };
  const distinct = uniqueByDigest(selected);
  const subtrees = await mapLimit(distinct, engine.jobs, async (d) => {
    const child = await fetchManifest(engine, d);
    return collectImage(
      engine,
      { ...child, mediaType: child.mediaType || d.mediaType },
      void 0,
      depth + 1
    );
  });
  for (const sub of subtrees) {
    tree.children.push(...sub.children, sub.top);
    if (sub.children.length > 0 || sub.nested) tree.nested = true;
    tree.blobs.push(...sub.blobs);
  }
  tree.children = uniqueByDigest(tree.children);
  tree.blobs = uniqueByDigest(tree.blobs);
  tree.platforms = [...new Set(selected.flatMap((m) => m.platform ? [formatPlatform(m.platform)] : []))];
  return tree;
}
function topManifest(root, platforms) {
  const parsed = parseManifest(root.bytes, root.mediaType);
  const top = { ...root, mediaType: root.mediaType || parsed.mediaType };
  if (parsed.kind === "image" || !platforms?.length) return top;
  return topOf(top, selectPlatforms(parsed.manifests, platforms));
}
function topOf(top, keep) {
  return keep?.some((k) => !k) ? rewriteIndex(top, keep) : top;
}
function checkBlobRoom(engine, blobs) {
  const added = new Set(blobs.map((b) => b.digest).filter((d) => !engine.blobs.has(d))).size;
  if (engine.blobs.size + added > MAX_BLOBS_PER_JOB) {
    throw new LimitExceededError(`the image has more than ${MAX_BLOBS_PER_JOB} blobs (the limit per copy)`);
  }
}
function imageBlobs(engine, blobs) {
  return blobs.filter((blob) => {
    if (!isForeignLayer(blob)) return true;
    if (!engine.stats.foreign.includes(blob.digest)) {
      engine.stats.foreign.push(blob.digest);
      engine.logger.info(`skipped ${blob.digest} (foreign layer, not distributable)`);
    }
    return false;
  });
}
function uniqueByDigest(items) {
  const seen = /* @__PURE__ */ new Map();
  for (const item of items) if (!seen.has(item.digest)) seen.set(item.digest, item);
  return [...seen.values()];
}
function selectPlatforms(manifests, wanted) {
  const matches = (p, w) => {
    const [os2, architecture, variant] = w.split("/");
    return p?.os === os2 && p?.architecture === architecture && (variant === void 0 || p?.variant === variant);
  };
  const missing = wanted.filter((w) => !manifests.some((m) => matches(m.platform, w)));
  if (missing.length > 0) {
    const available = [
      ...new Set(manifests.flatMap((m) => m.platform ? [formatPlatform(m.platform)] : []))
    ];
    throw new MirrorError(
      `platform ${missing.join(", ")} not in the source index (it has ${available.join(", ")})`
    );
  }
  return manifests.map((m) => wanted.some((w) => matches(m.platform, w)));
}
function rewriteIndex(index, keep) {
  const doc = JSON.parse(index.bytes.toString("utf8"));
  doc.manifests = doc.manifests.filter((_, i) => keep[i]);
  const bytes = Buffer.from(JSON.stringify(doc));
  return { bytes, digest: computeDigest(bytes), mediaType: index.mediaType, size: bytes.length };
}

// src/registry/errors/immutable-tag-error.ts
var ImmutableTagError = class extends MirrorError {
  constructor(tag, existing, wanted) {
    super(
      `tag ${tag} already points at ${existing} and the repository has immutable tags; the source is ${wanted}: mirror it under a new tag, or delete the old tag first`
    );
    this.tag = tag;
    this.existing = existing;
    this.wanted = wanted;
  }
  tag;
  existing;
  wanted;
};

// src/registry/copy-one.ts
async function resolveOne(engine, srcRef, target2) {
  const dstRef = target2.tag ?? target2.digest;
  const checkDst = dstRef !== void 0 && (!target2.platforms || engine.immutableTags && !!target2.tag);
  const read = checkDst ? await readBoth(engine, srcRef, dstRef, target2) : { root: await fetchRoot(engine, srcRef), dstHead: void 0 };
  if ("unchanged" in read) return read;
  const { root, dstHead } = read;
  const { digest: topDigest } = topManifest(root, target2.platforms);
  if (target2.digest && target2.digest !== topDigest) {
    throw new MirrorError(`destination digest ${target2.digest} does not match the source ${topDigest}`);
  }
  if (engine.immutableTags && target2.tag && dstHead && dstHead.digest !== topDigest) {
    throw new ImmutableTagError(target2.tag, dstHead.digest, topDigest);
  }
  const tree = await collectImage(engine, root, target2.platforms);
  const { digest, mediaType } = tree.top;
  const platforms = tree.children.length === 0 && target2.reportPlatform ? await configPlatform(engine, engine.src, engine.srcRepo, tree.top) : tree.platforms;
  return {
    digest,
    sourceDigest: root.digest,
    mediaType,
    platforms,
    unchanged: false,
    root,
    tree,
    tag: target2.tag
  };
}
function fetchRoot(engine, srcRef) {
  askFreshness(engine);
  return fetchSource(engine, srcRef);
}
async function readBoth(engine, srcRef, dstRef, target2) {
  const srcHead = step("resolving source", () => engine.src.headManifest(engine.srcRepo, srcRef));
  const dstRead = step("checking destination", () => readDestination(engine, dstRef));
  let dstHead;
  try {
    dstHead = await Promise.race([dstRead, srcHead.then(() => dstRead)]);
  } catch (err) {
    await Promise.allSettled([srcHead, dstRead]);
    throw err;
  }
  if (dstHead === void 0) {
    const [root] = await Promise.allSettled([fetchSource(engine, srcRef), srcHead]);
    if (root.status === "rejected") throw root.reason;
    return { root: root.value, dstHead };
  }
  const head = await srcHead;
  if (head && dstHead.digest === head.digest && !target2.platforms) {
    const platforms = await step(
      "reading destination",
      () => existingPlatforms(engine, dstHead, target2.reportPlatform === true)
    );
    const { digest, mediaType } = head;
    return { digest, sourceDigest: digest, mediaType, platforms, unchanged: true, tag: target2.tag };
  }
  return { root: await fetchSource(engine, head?.digest ?? srcRef), dstHead };
}
function fetchSource(engine, reference) {
  return step("fetching source manifest", () => engine.src.getManifest(engine.srcRepo, reference));
}
async function pushResolved(engine, resolved) {
  if (resolved.unchanged || !resolved.tree) return;
  await pushImage(engine, resolved.tree, resolved.tag);
}
async function readDestination(engine, reference) {
  const found = engine.session.shortcuts.destinationGet ? await engine.dst.findManifest(engine.dstRepo, reference) : await engine.dst.headManifest(engine.dstRepo, reference);
  if (found === void 0) askFreshness(engine);
  else engine.fresh ??= Promise.resolve(false);
  return found;
}
function askFreshness(engine) {
  if (engine.fresh || !engine.session.trustsFreshRepositories(engine.dst.registry)) return;
  engine.fresh = engine.dst.repositoryState(engine.dstRepo).then((state) => state === "absent");
}
async function existingPlatforms(engine, head, reportPlatform) {
  if (!reportPlatform && !isIndexMediaType(head.mediaType)) return [];
  const manifest = "bytes" in head ? head : await engine.dst.getManifest(engine.dstRepo, head.digest);
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind === "image") {
    return reportPlatform ? configPlatform(engine, engine.dst, engine.dstRepo, manifest) : [];
  }
  return [...new Set(indexPlatforms(parsed.manifests))];
}
var IMAGE_CONFIGS = /* @__PURE__ */ new Set([
  "application/vnd.oci.image.config.v1+json",
  "application/vnd.docker.container.image.v1+json"
]);
var CONFIG_LIMIT = 1024 * 1024;
async function configPlatform(engine, client, repository, manifest) {
  const parsed = parseManifest(manifest.bytes, manifest.mediaType);
  if (parsed.kind !== "image" || !IMAGE_CONFIGS.has(parsed.config.mediaType)) return [];
  if (parsed.config.size > CONFIG_LIMIT) return [];
  let config;
  try {
    const bytes = await client.readBlob(repository, parsed.config.digest, CONFIG_LIMIT);
    config = JSON.parse(bytes.toString("utf8"));
  } catch (err) {
    engine.logger.debug(`could not read the platform from ${parsed.config.digest}: ${errorMessage(err)}`);
    return [];
  }
  if (typeof config !== "object" || config === null) return [];
  if (!config.os && !config.architecture) return [];
  return [formatPlatform(parsePlatform(config, `config ${parsed.config.digest}`))];
}
async function verifyDestination(engine, reference, expected) {
  return step("verifying the destination", async () => {
    const head = await engine.dst.headManifest(engine.dstRepo, reference);
    if (!head) throw new MirrorError(`${reference} is missing after the copy`);
    if (head.digest !== expected)
      throw new MirrorError(`${reference} has digest ${head.digest}, expected ${expected}`);
    return head.digest;
  });
}

// src/registry/errors/copy-error.ts
var CopyError = class extends MirrorError {
  constructor(source, destination, cause) {
    super(`copying ${source} \u2192 ${destination}: ${errorMessage(cause)}`, { cause });
    this.source = source;
    this.destination = destination;
  }
  source;
  destination;
};

// src/registry/shared-blobs.ts
function createSharedBlobs() {
  const holders = /* @__PURE__ */ new Map();
  const key = (registry, digest) => `${registry} ${digest}`;
  return {
    find: (registry, digest) => holders.get(key(registry, digest)),
    claim(registry, digest, repository, transfer) {
      const k = key(registry, digest);
      const holder = transfer.then(() => repository);
      holders.set(k, holder);
      holder.catch(() => holders.get(k) === holder && holders.delete(k));
    }
  };
}

// src/registry/session.ts
var ALL_SHORTCUTS = {
  firstRequestAuth: true,
  destinationGet: true,
  freshRepositories: true,
  monolithicMaxBytes: 1024 * 1024
};
var NO_SHORTCUTS = {
  firstRequestAuth: false,
  destinationGet: false,
  freshRepositories: false,
  monolithicMaxBytes: 0
};
function createCopySession(options = {}) {
  const fixed = options.jobs === void 0 ? void 0 : Math.max(1, options.jobs);
  const max = fixed ?? DEFAULT_PACE.max;
  const pool = options.pool ?? createConnectionPool({
    ca: options.ca,
    connections: max + 8,
    ...options.http2 === void 0 ? {} : { http2: options.http2 }
  });
  const shortcuts = options.shortcuts ?? NO_SHORTCUTS;
  const paces = /* @__PURE__ */ new Map();
  const auths = /* @__PURE__ */ new Map();
  const uploads = /* @__PURE__ */ new Map();
  return {
    pool,
    shortcuts,
    sharedBlobs: createSharedBlobs(),
    pace: (apiHost) => cached(paces, apiHost, () => createPace(fixed === void 0 ? {} : { initial: fixed, max: fixed })),
    auth: (registry) => cached(
      auths,
      registry,
      () => createRegistryAuth(shortcuts.firstRequestAuth ? "first-request" : "ping")
    ),
    trustsFreshRepositories: (registry) => shortcuts.freshRepositories && !isGoogleRegistryHost(registry),
    uploadMode(apiHost, size) {
      if (size > shortcuts.monolithicMaxBytes) return "stream";
      const known = uploads.get(apiHost);
      if (known === "accepted") return "monolithic";
      if (known !== void 0) return "stream";
      uploads.set(apiHost, "probing");
      return "probe";
    },
    learnUpload(apiHost, outcome) {
      if (outcome !== "failed") uploads.set(apiHost, outcome);
      else if (uploads.get(apiHost) === "probing") uploads.delete(apiHost);
    },
    close: async () => {
      if (!options.pool) await pool.close();
    }
  };
}
function cached(map, key, create) {
  let value = map.get(key);
  if (value === void 0) {
    value = create();
    map.set(key, value);
  }
  return value;
}

// src/registry/signatures.ts
var COSIGN_SUFFIXES = ["sig", "att", "sbom"];
async function resolveSignatures(engine, digest, resolve2) {
  const items = [];
  for (const suffix of COSIGN_SUFFIXES) {
    const tag = digestTag(digest, suffix);
    const found = await resolveTagIfPresent(engine, tag, resolve2);
    if (found) items.push({ label: tag, resolved: found });
  }
  const referrers = await step(
    `listing referrers of ${digest}`,
    () => engine.src.referrers(engine.srcRepo, digest)
  );
  if (referrers === void 0) {
    const tag = digestTag(digest);
    const found = await resolveTagIfPresent(engine, tag, resolve2);
    if (found) items.push({ label: tag, resolved: found });
    return { digest, items, referrers };
  }
  for (const referrer of referrers) {
    const resolved = await step(`resolving referrer ${referrer.digest}`, async () => {
      const r = await resolve2(referrer.digest);
      checkSubject(r, digest);
      return r;
    });
    items.push({ label: `@${referrer.digest}`, resolved });
  }
  return { digest, items, referrers };
}
function checkSubject(resolved, digest) {
  if (!resolved.root) return;
  const subject = parseManifest(resolved.root.bytes, resolved.root.mediaType).subject?.digest;
  if (subject !== digest) {
    throw new MirrorError(`its subject is ${subject ?? "missing"}, not the image ${digest}`);
  }
}
async function pushSignatures(engine, plan, push) {
  for (const item of plan.items) await step(`copying ${item.label}`, () => push(item.resolved));
  if (plan.referrers && plan.referrers.length > 0) {
    await indexReferrersAtDestination(engine, plan.digest, plan.referrers);
  }
  return plan.items.map((item) => item.label);
}
async function indexReferrersAtDestination(engine, digest, referrers) {
  const tag = digestTag(digest);
  await step(`updating the referrers tag ${tag}`, async () => {
    if (await engine.dst.referrers(engine.dstRepo, digest) !== void 0) return;
    const listed = await existingReferrers(engine, tag);
    const known = new Set(listed.map((d) => d.digest));
    const added = referrers.filter((r) => !known.has(r.digest));
    if (added.length === 0) return;
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...listed, ...added] };
    const bytes = Buffer.from(JSON.stringify(index));
    await engine.dst.putManifest(engine.dstRepo, tag, { bytes, mediaType: OCI_INDEX });
  });
}
async function existingReferrers(engine, tag) {
  if (!await engine.dst.headManifest(engine.dstRepo, tag)) return [];
  const current = await engine.dst.getManifest(engine.dstRepo, tag);
  const parsed = parseManifest(current.bytes, current.mediaType);
  return parsed.kind === "index" ? parsed.manifests : [];
}
async function resolveTagIfPresent(engine, tag, resolve2) {
  const found = await step(`looking for ${tag}`, () => engine.src.headManifest(engine.srcRepo, tag));
  if (!found) return void 0;
  return step(`resolving ${tag}`, () => resolve2(tag));
}

// src/registry/copy.ts
var DEFAULT_COPY_TIMEOUT_MS = 30 * 6e4;
var CopyTimeoutError = class extends MirrorError {
};
async function copyImage(source, destination, options) {
  const src = parseReference(source);
  const dst = destinationReference(destination, src);
  const [srcText, dstText] = [formatReference(src), formatReference(dst)];
  const session = options.session ?? createCopySession({ jobs: options.jobs, pool: options.pool, ca: options.ca });
  const deadline = startDeadline(options.timeoutMs ?? DEFAULT_COPY_TIMEOUT_MS);
  try {
    const sharedBlobs = options.sharedBlobs ?? options.session?.sharedBlobs;
    const run = { ...options, session, signal: deadline.signal, ...sharedBlobs ? { sharedBlobs } : {} };
    const result2 = await deadline.race(runCopy(src, dst, run));
    return { ...result2, source: srcText, destination: dstText };
  } catch (err) {
    throw new CopyError(srcText, dstText, err);
  } finally {
    deadline.stop();
    if (!options.session) await session.close();
  }
}
function startDeadline(ms) {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const minutes = ms >= 6e4 && ms % 6e4 === 0 ? `${ms / 6e4} min` : `${ms / 1e3} s`;
  const timer = setTimeout(
    () => controller.abort(
      new CopyTimeoutError(`the copy did not finish within ${minutes} (the timeout setting)`)
    ),
    ms
  );
  const expired = new Promise((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true });
  });
  expired.catch(() => {
  });
  return {
    signal: controller.signal,
    race: (work) => {
      work.catch(() => {
      });
      return Promise.race([work, expired]);
    },
    stop: () => clearTimeout(timer)
  };
}
function destinationReference(raw, src) {
  const dst = parseReference(raw);
  const lastSlash = raw.lastIndexOf("/");
  const hasTagOrDigest = raw.includes("@") || raw.indexOf(":", lastSlash + 1) >= 0;
  if (hasTagOrDigest) return dst;
  return { ...dst, tag: src.tag, digest: src.tag === void 0 ? src.digest : void 0 };
}
async function runCopy(src, dst, options) {
  const platforms = options.platforms?.length ? options.platforms : void 0;
  const job = validateJob(src, dst, platforms);
  const engine = createJobEngine(src, dst, job, options);
  const { main, plan } = await resolveAll(engine, job, options.signatures === true);
  await pushResolved(engine, main);
  const signatures = plan ? await step("copying signatures", () => {
    engine.progress.phase("signatures");
    return pushSignatures(engine, plan, (resolved) => pushResolved(engine, resolved));
  }) : [];
  engine.progress.phase("verifying");
  const destinationDigest = main.unchanged ? main.digest : await verifyDestination(engine, job.target.tag ?? main.digest, main.digest);
  engine.progress.phase("done");
  return result(
    engine,
    main,
    { signatures, destinationDigest, platformSubset: platforms !== void 0 },
    dst
  );
}
async function resolveAll(engine, job, signatures) {
  try {
    const main = await resolveOne(engine, job.srcRef, job.target);
    const plan = signatures ? await step(
      "resolving signatures",
      () => resolveSignatures(engine, main.sourceDigest, (ref) => resolveOne(engine, ref, refTarget(ref)))
    ) : void 0;
    return { main, plan };
  } catch (err) {
    await abandon(engine, err);
    throw err;
  }
}
function result(engine, main, extra, dst) {
  const { copied: n, skipped, mounted, bytes, foreign } = engine.stats;
  engine.logger.info(
    `${formatReference(dst)}: ${main.digest} (${n} blobs copied, ${skipped} present, ${mounted} mounted)`
  );
  return {
    digest: main.digest,
    mediaType: main.mediaType,
    platforms: main.platforms,
    blobs: { copied: n, skipped, mounted },
    bytes,
    signatures: extra.signatures,
    foreignLayers: foreign,
    platformSubset: extra.platformSubset,
    verified: { sourceDigest: main.sourceDigest, destinationDigest: extra.destinationDigest }
  };
}
function refTarget(ref) {
  return isDigest(ref) ? { digest: ref } : { tag: ref };
}

// src/mirror/lookup.ts
var CONFIG_LIMIT2 = 1024 * 1024;
var MAX_PLATFORMS = 64;
function createImageLookup(options) {
  const clients2 = /* @__PURE__ */ new Map();
  const clientFor = (ref) => {
    const key = repositoryName(ref);
    let client = clients2.get(key);
    if (client === void 0) {
      client = createRegistryClient({
        registry: ref.registry,
        scopes: [`repository:${ref.repository}:pull`],
        repositories: [ref.repository],
        keychain: options.keychain,
        pool: options.pool,
        plainHttp: options.plainHttp ?? [],
        ...options.endpoints ? { endpoints: options.endpoints } : {},
        logger: options.logger,
        ...options.auth ? { auth: options.auth(ref.registry) } : {}
      });
      clients2.set(key, client);
    }
    return client;
  };
  return {
    resolve: (ref) => resolve(clientFor(ref), ref),
    async describe(ref) {
      try {
        return await describe2(clientFor(ref), ref);
      } catch (err) {
        options.logger.debug(
          `could not read the creation time of ${repositoryName(ref)}: ${errorMessage(err)}`
        );
        return { created: void 0, platforms: [] };
      }
    }
  };
}
function target(ref) {
  return {
    repository: parseRepository(ref.repository),
    reference: ref.digest ? parseDigest(ref.digest) : parseTag(ref.tag ?? "latest")
  };
}
async function resolve(client, ref) {
  const { repository, reference } = target(ref);
  const head = await client.headManifest(repository, reference);
  if (head !== void 0)
    return parseDigest(head.digest, `the Docker-Content-Digest of ${repositoryName(ref)}`);
  try {
    return (await client.getManifest(repository, reference)).digest;
  } catch (err) {
    if (err instanceof RegistryError && err.status === 404) return void 0;
    throw err;
  }
}
async function describe2(client, ref) {
  const { repository, reference } = target(ref);
  const top = await client.getManifest(repository, reference);
  const parsed = parseManifest(top.bytes, top.mediaType);
  if (parsed.kind === "image") {
    const config = await readConfig(client, repository, parsed.config);
    return { created: config.created, platforms: config.platform === void 0 ? [] : [config.platform] };
  }
  const children = parsed.manifests.slice(0, MAX_PLATFORMS).filter((child) => {
    const platform = child.platform ? formatPlatform(child.platform) : "";
    return isPlatform(platform) && isDigest(child.digest);
  });
  const platforms = [...new Set(children.map((child) => formatPlatform(child.platform)))];
  const first = children[0];
  if (first === void 0) return { created: void 0, platforms };
  const manifest = await client.getManifest(repository, parseDigest(first.digest, "an index entry"));
  const image = parseManifest(manifest.bytes, manifest.mediaType);
  if (image.kind !== "image") return { created: void 0, platforms };
  return { created: (await readConfig(client, repository, image.config)).created, platforms };
}
async function readConfig(client, repository, descriptor) {
  const unknown = { created: void 0, platform: void 0 };
  if (descriptor.size > CONFIG_LIMIT2) return unknown;
  const digest = parseDigest(descriptor.digest, "a config descriptor");
  let bytes;
  try {
    bytes = await client.readBlob(repository, digest, CONFIG_LIMIT2);
  } catch (err) {
    if (err instanceof LimitExceededError) return unknown;
    throw err;
  }
  if (computeDigest(bytes, digest) !== digest) return unknown;
  const config = JSON.parse(bytes.toString("utf8"));
  return { created: parseCreated(config.created), platform: configPlatform2(config) };
}
function parseCreated(value) {
  if (typeof value !== "string" || value.length > 64) return void 0;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return void 0;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time) : void 0;
}
function configPlatform2(config) {
  const { os: os2, architecture, variant } = config;
  if (typeof os2 !== "string" || typeof architecture !== "string") return void 0;
  const text = formatPlatform({ os: os2, architecture, ...typeof variant === "string" ? { variant } : {} });
  return isPlatform(text) ? text : void 0;
}

// src/mirror/copier.ts
function pacedJobs(jobs, explicit = false) {
  return explicit || jobs !== DEFAULT_JOBS ? jobs : void 0;
}
function isArtifactRegistryHost(host) {
  return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(host);
}
function createCopier(options) {
  const session = createCopySession({ jobs: options.jobs, shortcuts: ALL_SHORTCUTS });
  let immutableTags = false;
  return {
    async preflight(destinationPrefix) {
      const result2 = await preflight(options, destinationPrefix);
      if (result2) immutableTags = result2.immutableTags;
      return result2;
    },
    copy(source, destination) {
      return copyImage(source, destination, {
        keychain: options.keychain,
        logger: options.logger,
        session,
        ...options.jobs ? { jobs: options.jobs } : {},
        ...options.timeoutMs ? { timeoutMs: options.timeoutMs } : {},
        plainHttp: options.plainHttp ?? [],
        ...options.endpoints ? { endpoints: options.endpoints } : {},
        platforms: options.platforms ?? [],
        signatures: options.signatures ?? false,
        immutableTags,
        ...options.onProgress ? { onProgress: options.onProgress } : {}
      });
    },
    lookup: createImageLookup({
      keychain: options.keychain,
      pool: session.pool,
      auth: (registry) => session.auth(registry),
      logger: options.logger,
      plainHttp: options.plainHttp ?? [],
      ...options.endpoints ? { endpoints: options.endpoints } : {}
    }),
    close: () => session.close()
  };
}
async function preflight(options, destinationPrefix) {
  const host = destinationPrefix.split("/")[0] ?? "";
  if (!isArtifactRegistryHost(host)) return void 0;
  const destination = parseArtifactRegistryDestination(destinationPrefix);
  const token = await googleAccessToken(options.keychain, host);
  if (token === void 0) {
    options.logger.warning(
      `Artifact Registry preflight skipped for ${destinationPrefix}: the credentials for ${host} are not a Google access token (username oauth2accesstoken), which the Artifact Registry API needs; the push uses them as they are`
    );
    return void 0;
  }
  const result2 = await preflightArtifactRegistry(destination, {
    accessToken: async () => token,
    createRepository: options.createRepository ?? false,
    ...options.artifactRegistryApi ? { apiBase: options.artifactRegistryApi } : {}
  });
  if (result2.created)
    options.logger.info(
      `created Artifact Registry repository ${destination.project}/${destination.repository}`
    );
  if (result2.immutableTags)
    options.logger.info(`${destinationPrefix} has immutable tags: existing tags are never moved`);
  return result2;
}
async function googleAccessToken(keychain, host) {
  let credential;
  try {
    credential = await keychain.get(host);
  } catch (err) {
    throw new Error(`cannot get Google credentials for ${host}: ${errorMessage(err)}`);
  }
  if (!credential) {
    throw new Error(
      `no Google credentials for ${host}: run google-github-actions/auth before ar-mirror, pass gcp-access-token, or set GOOGLE_APPLICATION_CREDENTIALS`
    );
  }
  return credential.username === "oauth2accesstoken" ? credential.password : void 0;
}

// src/registry/credentials/flag.ts
function parseCredentialFlag(text, flag) {
  const colon = text.indexOf(":");
  if (colon < 0) throw new ConfigError(`${flag} must be USER:PASSWORD, but it has no ':'`);
  const username = text.slice(0, colon);
  const password = text.slice(colon + 1);
  if (username.trim() === "")
    throw new ConfigError(`${flag} must be USER:PASSWORD, but the user name is empty`);
  if (password === "") throw new ConfigError(`${flag} must be USER:PASSWORD, but the password is empty`);
  return { username, password };
}

// src/commands/registry-flags.ts
var REGISTRY_OPTIONS = {
  "plain-http": { type: "string", multiple: true },
  "src-creds": { type: "string", multiple: true },
  "dest-creds": { type: "string" },
  jobs: { type: "string" },
  platform: { type: "string", multiple: true },
  timeout: { type: "string" }
};
var HOST_PREFIX = /^([a-z0-9.-]+(?::\d+)?)=(.*)$/is;
function readRegistryFlags(values, env) {
  const network = readNetworkEnvironment(env);
  const dest = values["dest-creds"];
  return {
    ...network,
    plainHttp: [...splitLists(values["plain-http"]), ...network.plainHttp],
    srcCreds: readSourceCredentials(values["src-creds"] ?? []),
    destCreds: dest === void 0 ? void 0 : asUsage(() => parseCredentialFlag(dest, "--dest-creds")),
    jobs: values.jobs,
    platforms: values.platform ?? [],
    timeout: values.timeout
  };
}
function readSourceCredentials(texts) {
  const result2 = { byHost: {}, plain: void 0 };
  for (const text of texts) {
    const match = HOST_PREFIX.exec(text);
    if (match && match[2].includes(":")) {
      const host = normaliseRegistryHost(match[1]);
      result2.byHost[host] = asUsage(() => parseCredentialFlag(match[2], `--src-creds ${host}=`));
    } else {
      if (result2.plain) throw new UsageError("--src-creds USER:PASS may be given once; use HOST=USER:PASS");
      result2.plain = asUsage(() => parseCredentialFlag(text, "--src-creds"));
    }
  }
  return result2;
}
function explicitCredentials(flags, sourceHosts, destinationHost) {
  const explicit = { ...flags.srcCreds.byHost };
  const hosts = [...new Set(sourceHosts.map(normaliseRegistryHost))].sort();
  if (flags.srcCreds.plain) {
    if (hosts.length > 1) {
      throw new UsageError(
        `--src-creds USER:PASS would go to every source registry (${hosts.join(", ") || "none"}); give HOST=USER:PASS for each`
      );
    }
    if (hosts.length === 1) explicit[hosts[0]] ??= flags.srcCreds.plain;
  }
  if (flags.destCreds) explicit[normaliseRegistryHost(destinationHost)] = flags.destCreds;
  return explicit;
}
function createCommandCopier(options) {
  const { flags, settings, logger } = options;
  return createCopier({
    keychain: createKeychain({ explicit: options.explicit, env: options.env, logger, google: "adc" }),
    logger,
    plainHttp: flags.plainHttp,
    endpoints: flags.endpoints,
    ...flags.artifactRegistryApi ? { artifactRegistryApi: flags.artifactRegistryApi } : {},
    // `--jobs` fixes the blob transfers per registry host; without it the pace adapts.
    jobs: pacedJobs(settings.jobs, flags.jobs !== void 0),
    timeoutMs: settings.timeoutMs,
    platforms: settings.platforms,
    signatures: settings.signatures,
    createRepository: settings.createRepository,
    ...options.onProgress ? { onProgress: options.onProgress } : {}
  });
}
function asUsage(fn) {
  try {
    return fn();
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}

export {
  mapLimit,
  computeDigest,
  createConnectionPool,
  registryScheme,
  createRegistryClient,
  destinationReference,
  isArtifactRegistryHost,
  createKeychain,
  REGISTRY_OPTIONS,
  readRegistryFlags,
  explicitCredentials,
  createCommandCopier
};
