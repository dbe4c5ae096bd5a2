import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  silentLogger
} from "./chunk-VAYOJ3Y5.js";
import {
  UsageError,
  printable
} from "./chunk-TH6AUOUN.js";
import {
  ConfigError,
  MirrorError,
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/cloud/auth.ts
async function resolveGoogleTokenSource(choice) {
  const given = choice.flag ?? choice.env.AR_MIRROR_GCP_ACCESS_TOKEN;
  if (given !== void 0 && given !== "") {
    const token = given.trim();
    if (token === "" || /\s/.test(token))
      throw new MirrorError(
        "the Google access token (--gcp-access-token / AR_MIRROR_GCP_ACCESS_TOKEN) holds whitespace"
      );
    choice.logger.secret(token);
    return { getAccessToken: async () => token };
  }
  const { createAdcTokenSource } = await import("./google-NXNZP732.js");
  const adc = createAdcTokenSource({ env: choice.env });
  return {
    async getAccessToken(options) {
      const token = await adc.getAccessToken(options);
      choice.logger.secret(token);
      return token;
    }
  };
}

// src/cloud/endpoints.ts
var DEFAULTS = {
  logging: ["AR_MIRROR_LOGGING_API", "https://logging.googleapis.com/v2"],
  bigquery: ["AR_MIRROR_BIGQUERY_API", "https://bigquery.googleapis.com/bigquery/v2"],
  container: ["AR_MIRROR_CONTAINER_API", "https://container.googleapis.com/v1"],
  resourceManager: ["AR_MIRROR_RESOURCE_MANAGER_API", "https://cloudresourcemanager.googleapis.com/v1"],
  iam: ["AR_MIRROR_IAM_API", "https://iam.googleapis.com/v1"],
  artifactRegistry: ["AR_MIRROR_ARTIFACT_REGISTRY_API", "https://artifactregistry.googleapis.com/v1"],
  run: ["AR_MIRROR_RUN_API", "https://run.googleapis.com/v2"]
};
function readGoogleEndpoints(env) {
  const read = (key) => baseUrl(env, ...DEFAULTS[key]);
  return {
    logging: read("logging"),
    bigquery: read("bigquery"),
    container: read("container"),
    resourceManager: read("resourceManager"),
    iam: read("iam"),
    artifactRegistry: read("artifactRegistry"),
    run: read("run")
  };
}
function baseUrl(env, variable, fallback) {
  const value = env[variable] || fallback;
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable} "${value.slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new ConfigError(`${variable} must be an http(s) URL, got "${value.slice(0, 200)}"`);
  return value.replace(/\/+$/, "");
}

// src/cloud/errors.ts
var QUOTA_MARKERS = /* @__PURE__ */ new Set([
  "RESOURCE_EXHAUSTED",
  "RATE_LIMIT_EXCEEDED",
  "rateLimitExceeded",
  "quotaExceeded",
  "backendError"
]);
var GoogleApiError = class extends MirrorError {
  constructor(method, url, httpStatus, body, options) {
    const what = options?.reason ?? describe(httpStatus, body, options?.needs);
    super(`${method} ${printable(url, 200)}: ${what}`, options);
    this.method = method;
    this.url = url;
    this.httpStatus = httpStatus;
    this.body = body;
  }
  method;
  url;
  httpStatus;
  body;
  /** True when waiting and sending again may succeed (429, quota, 5xx, no answer). */
  get temporary() {
    return isTemporary(this.httpStatus, this.body);
  }
};
function isTemporary(httpStatus, body) {
  if (httpStatus === 0 || httpStatus === 429 || httpStatus === 408) return true;
  if ([500, 502, 503, 504].includes(httpStatus)) return true;
  if (httpStatus === 403) return body.reasons.some((reason) => QUOTA_MARKERS.has(reason));
  return body.status === "RESOURCE_EXHAUSTED";
}
function describe(httpStatus, body, needs) {
  const status = body.status ? ` ${body.status}` : "";
  const message = body.message ? `: ${body.message}` : "";
  const refused = httpStatus === 403 && needs !== void 0 && !isTemporary(httpStatus, body);
  return `HTTP ${httpStatus}${status}${message}${refused ? `; the caller needs ${needs}` : ""}`;
}
var EMPTY = { code: void 0, status: void 0, message: void 0, reasons: [] };
function parseGoogleErrorBody(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  const error = parsed?.error;
  if (typeof error !== "object" || error === null) return EMPTY;
  const e = error;
  const reasons = [...reasonsOf(e.details), ...reasonsOf(e.errors)].slice(0, 10);
  return {
    code: Number.isInteger(e.code) ? e.code : void 0,
    status: typeof e.status === "string" && /^[A-Z_]{1,40}$/.test(e.status) ? e.status : void 0,
    message: typeof e.message === "string" ? printable(e.message, 500) : void 0,
    reasons
  };
}
function reasonsOf(list) {
  if (!Array.isArray(list)) return [];
  return list.slice(0, 20).map((item) => item?.reason).filter((reason) => typeof reason === "string" && /^[A-Za-z_]{1,64}$/.test(reason));
}

// src/cloud/http.ts
function resolveOptions(options) {
  return {
    token: options.token,
    fetch: options.fetch ?? fetch,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    maxAttempts: Math.max(1, options.maxAttempts ?? 6),
    baseDelayMs: options.baseDelayMs ?? 1e3,
    maxDelayMs: options.maxDelayMs ?? 32e3,
    timeoutMs: options.timeoutMs ?? 6e4,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    logger: options.logger ?? silentLogger
  };
}
function createGoogleApi(options) {
  const o = resolveOptions(options);
  return { request: (req) => sendWithRetries(o, req) };
}
async function sendWithRetries(o, req) {
  const url = withQuery(req.url, req.query);
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    const outcome = await sendOnce(o, req, url, refreshed);
    if ("value" in outcome) return outcome.value;
    const error = outcome.error;
    if (error.httpStatus === 401 && !refreshed) {
      refreshed = true;
      continue;
    }
    if (!error.temporary || attempt >= o.maxAttempts) throw error;
    const delay = backoff(o, attempt, outcome.retryAfter);
    o.logger.warning(
      `${error.message}; retrying in ${Math.round(delay / 100) / 10} s (attempt ${attempt + 1} of ${o.maxAttempts})`
    );
    await o.sleep(delay);
  }
}
function backoff(o, attempt, retryAfterMs) {
  if (retryAfterMs !== void 0) return Math.min(o.maxDelayMs, retryAfterMs);
  const exponential = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.5 + o.random() / 2));
}
async function sendOnce(o, req, url, refresh) {
  const { method, body } = req;
  const token = await o.token.getAccessToken({ refresh });
  let status;
  let text;
  let retryAfter;
  try {
    const response = await o.fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...body ? { "content-type": "application/json" } : {}
      },
      body: body ? JSON.stringify(body) : void 0,
      signal: AbortSignal.timeout(o.timeoutMs)
    });
    status = response.status;
    retryAfter = parseRetryAfter(response.headers.get("retry-after"));
    text = await readCapped(response, o.maxBodyBytes);
  } catch (err) {
    const reason = err instanceof Error && err.name === "TimeoutError" ? `no answer within ${o.timeoutMs} ms` : errorMessage(err);
    if (err instanceof BodyTooLargeError) return { error: apiError(method, url, 200, reason) };
    return { error: apiError(method, url, 0, reason, err) };
  }
  if (o.logger.isDebug) o.logger.debug(`${method} ${url} ${status}`);
  if (status < 200 || status >= 300) {
    const error = new GoogleApiError(method, url, status, parseGoogleErrorBody(text), { needs: req.needs });
    return { error, retryAfter };
  }
  return parseObject(method, url, text);
}
function parseObject(method, url, text) {
  let parsed;
  try {
    parsed = text === "" ? {} : JSON.parse(text);
  } catch {
    return { error: apiError(method, url, 200, "the answer is not JSON") };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { error: apiError(method, url, 200, "the answer is not a JSON object") };
  return { value: parsed };
}
function apiError(method, url, status, reason, cause) {
  const body = { code: void 0, status: void 0, message: void 0, reasons: [] };
  return new GoogleApiError(method, url, status, body, { reason, ...cause ? { cause } : {} });
}
function parseRetryAfter(value) {
  if (value === null || !/^\d{1,6}$/.test(value.trim())) return void 0;
  return Number(value.trim()) * 1e3;
}
function withQuery(url, query) {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== void 0) params.set(key, value);
  const text = params.toString();
  return text === "" ? url : `${url}${url.includes("?") ? "&" : "?"}${text}`;
}
var BodyTooLargeError = class extends Error {
};
async function readCapped(response, limit) {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {
      });
      throw new BodyTooLargeError(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

// src/commands/google-flags.ts
var GOOGLE_OPTIONS = {
  "gcp-access-token": { type: "string" }
};
var GOOGLE_USAGE = `  --gcp-access-token TOKEN   Google access token (also $AR_MIRROR_GCP_ACCESS_TOKEN; default: Application Default Credentials)
  --verbose, -v              one line per API and registry request on stderr`;
function readEndpointsForUsage(env) {
  try {
    return readGoogleEndpoints(env);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}
async function createCommandGoogleApi(flag, env, logger) {
  const token = await resolveGoogleTokenSource({ flag, env, logger });
  return createGoogleApi({ token, logger });
}
function keychainGoogle(flag, env) {
  const token = (flag ?? env.AR_MIRROR_GCP_ACCESS_TOKEN ?? "").trim();
  return token === "" ? "adc" : { getAccessToken: async () => token };
}

export {
  GoogleApiError,
  GOOGLE_OPTIONS,
  GOOGLE_USAGE,
  readEndpointsForUsage,
  createCommandGoogleApi,
  keychainGoogle
};
