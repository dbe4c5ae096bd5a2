/**
 * A registry that misbehaves on purpose, for the tests of docs/security.md. It serves a valid
 * image (built by images.ts, under `src/app:1` by default) and one named misbehaviour
 * (hostile-images.ts lists them): path-shaped digests in index children, referrers and headers,
 * blob bodies longer than their descriptors, index fan-outs and bombs, slow bodies, token realms,
 * redirects and upload Locations aimed at a loopback canary, error bodies that echo the
 * Authorization header, control characters in digests, markdown in platforms.
 *
 * It also acts as a minimal destination (HEAD 404, uploads, manifest PUTs accepted), for the
 * misbehaviours that belong to the side being written to (location-downgrade). Every request is
 * recorded; so is every request the canary (a plain server on 127.0.0.1 that answers 200 with a
 * token) receives.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { type Canary, close, listen, record, type SeenRequest, startCanary } from './canary.js';
import {
  type Catalog,
  catalogOf,
  type Misbehaviour,
  PATH_DIGEST,
  PLANTED_PATH,
  type ShapeOptions,
  type StoredManifest,
  shape,
} from './hostile-images.js';
import { type BuiltImage, buildRandomImage } from './images.js';
import { createTlsMaterial } from './tls.js';

export type { Canary, SeenRequest } from './canary.js';
export type { Misbehaviour } from './hostile-images.js';
export { BAD_ARCHITECTURE, CONTROL_DIGEST, PATH_DIGEST, PLANTED_PATH } from './hostile-images.js';

/** Options of {@link startHostileRegistry}. */
export interface HostileRegistryOptions extends ShapeOptions {
  /** Default: 'none' (a well-behaved registry). */
  misbehaviour?: Misbehaviour;
  /** The valid image behind it. Default: two platforms, one small layer each. */
  image?: BuiltImage;
  /** Where realm-to-loopback, redirect-to-loopback and location-downgrade send the client. Default: the canary. */
  target?: string;
  /** Served at PLANTED_PATH, where PATH_DIGEST lands. Default: the image's first platform manifest. */
  planted?: StoredManifest;
  /** Serve HTTPS with a throwaway CA (caPem). Default: false. */
  tls?: boolean;
  /** Interval of the slow-* trickles. Default: 50 ms. */
  tickMs?: number;
  /** Basic credentials the registry demands (echo-authorization echoes them back). Default: none. */
  credentials?: { username: string; password: string };
}

/** A running hostile registry. */
export interface HostileRegistry {
  url: string;
  /** `127.0.0.1:PORT` */
  host: string;
  /** The valid image it serves (under `src/app:1`); digest is that of the (possibly reshaped) top manifest. */
  image: BuiltImage;
  top: string;
  requests: SeenRequest[];
  canary: Canary;
  caPem?: string;
  stop(): Promise<void>;
}

/** Repository and tag the image is served under. */
export const HOSTILE_REPOSITORY = 'src/app';
export const HOSTILE_TAG = '1';

/** What a request handler needs. */
interface Context {
  misbehaviour: Misbehaviour;
  catalog: Catalog;
  planted: StoredManifest;
  target: string;
  tickMs: number;
  credentials: HostileRegistryOptions['credentials'];
  timers: Set<NodeJS.Timeout>;
}

function json(
  res: http.ServerResponse,
  status: number,
  body: object,
  headers: http.OutgoingHttpHeaders = {},
) {
  const data = Buffer.from(JSON.stringify(body));
  res
    .writeHead(status, { 'content-type': 'application/json', 'content-length': data.length, ...headers })
    .end(data);
}

const notFound = (res: http.ServerResponse, code: string) =>
  json(res, 404, { errors: [{ code, message: 'not found' }] });

/** Answers 401 (no or wrong credentials) and returns false, or returns true when the request may go on. */
function authorize(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const given = req.headers.authorization;
  if (ctx.misbehaviour === 'realm-to-loopback' && !given?.startsWith('Bearer ')) {
    res.writeHead(401, { 'www-authenticate': `Bearer realm="${ctx.target}",service="hostile"` }).end();
    return false;
  }
  if (!ctx.credentials) return true;
  const expected = `Basic ${Buffer.from(`${ctx.credentials.username}:${ctx.credentials.password}`).toString('base64')}`;
  if (given === expected && req.url === '/v2/') return true;
  if (given === expected && ctx.misbehaviour !== 'echo-authorization') return true;
  // echo-authorization: the error message quotes the header it was sent, credentials and all.
  const message = given ? `access denied for Authorization: ${given}` : 'authentication required';
  json(
    res,
    given ? 403 : 401,
    { errors: [{ code: given ? 'DENIED' : 'UNAUTHORIZED', message }] },
    {
      'www-authenticate': 'Basic realm="hostile"',
    },
  );
  return false;
}

function serveManifest(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, ref: string) {
  const digest = ref === HOSTILE_TAG ? ctx.catalog.top : ref;
  const manifest = ctx.catalog.manifests.get(digest);
  if (!manifest) return notFound(res, 'MANIFEST_UNKNOWN');
  const claimed = ctx.misbehaviour === 'header-digest-path' ? PATH_DIGEST : digest;
  const headers = {
    'content-type': manifest.mediaType,
    'content-length': manifest.bytes.length,
    'docker-content-digest': claimed,
  };
  if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
  if (ctx.misbehaviour === 'slow-manifest') return trickle(ctx, res, headers, manifest.bytes, 0);
  res.writeHead(200, headers).end(manifest.bytes);
}

/** Sends `prefix` bytes of `body` at once, then one byte every tick, forever (until the client gives up). */
function trickle(
  ctx: Context,
  res: http.ServerResponse,
  headers: http.OutgoingHttpHeaders,
  body: Buffer,
  prefix: number,
) {
  res.writeHead(200, headers);
  res.write(body.subarray(0, prefix));
  let sent = prefix;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= body.length) {
      clearInterval(timer);
      ctx.timers.delete(timer);
      return;
    }
    res.write(body.subarray(sent, sent + 1));
    sent++;
  }, ctx.tickMs);
  ctx.timers.add(timer);
}

function serveBlob(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, digest: string) {
  const blob = ctx.catalog.blobs.get(digest);
  if (!blob) return notFound(res, 'BLOB_UNKNOWN');
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': blob.length,
    'docker-content-digest': digest,
  };
  if (req.method === 'HEAD') return void res.writeHead(200, headers).end();
  const isLayer = blob.length > 1024;
  if (ctx.misbehaviour === 'redirect-to-loopback')
    return void res.writeHead(307, { location: `${ctx.target}/blob` }).end();
  if (isLayer && ctx.misbehaviour === 'slow-blob') return trickle(ctx, res, headers, blob, 1024);
  if (isLayer && ctx.misbehaviour === 'extra-bytes') return extraBytes(ctx, res, blob, false);
  if (isLayer && ctx.misbehaviour === 'extra-bytes-length') return extraBytes(ctx, res, blob, true);
  res.writeHead(200, headers).end(blob);
}

/** A smuggled request: what the extra bytes say when they reach a registry's socket. */
const SMUGGLED =
  'DELETE /v2/dst/app/manifests/sha256:0000000000000000000000000000000000000000000000000000000000000000 HTTP/1.1\r\nHost: x\r\n\r\n';

/**
 * Writes the blob and then more, on the raw socket: the blob's bytes, then (in later writes, so
 * they arrive as separate chunks) a smuggled request. Without Content-Length the body is
 * delimited by the close, so the client cannot tell where the blob ended; with `announce`, the
 * Content-Length covers the extra bytes too.
 */
function extraBytes(ctx: Context, res: http.ServerResponse, blob: Buffer, announce: boolean) {
  const socket = res.socket!;
  const length = announce ? `Content-Length: ${blob.length + SMUGGLED.length * 2}\r\n` : '';
  socket.write(
    `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n${length}Connection: close\r\n\r\n`,
  );
  socket.write(blob);
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      ctx.timers.delete(timer);
      fn();
    }, ms);
    ctx.timers.add(timer);
  };
  later(30, () => socket.write(SMUGGLED));
  later(60, () => socket.end(SMUGGLED));
}

function serveUploads(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse, repo: string) {
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST') {
      const location =
        ctx.misbehaviour === 'location-downgrade'
          ? `${ctx.target.replace(/^https:/, 'http:')}/upload/${randomBytes(4).toString('hex')}`
          : `/v2/${repo}/blobs/uploads/${randomBytes(8).toString('hex')}`;
      return void res.writeHead(202, { location, 'content-length': 0 }).end();
    }
    if (req.method === 'PUT') return void res.writeHead(201, { 'content-length': 0 }).end();
    res.writeHead(204).end();
  });
}

function route(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!authorize(ctx, req, res)) return;
  const url = new URL(req.url ?? '/', 'http://x');
  const match = /^\/v2\/(.+?)\/(manifests|blobs|referrers)\/(.+)$/.exec(url.pathname);
  if (url.pathname === '/v2/') json(res, 200, {});
  else if (url.pathname === PLANTED_PATH && req.method !== 'PUT') servePlanted(ctx, req, res);
  else if (!match) notFound(res, 'NAME_UNKNOWN');
  else serveApi(ctx, req, res, match.slice(1) as [string, string, string]);
}

function servePlanted(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': ctx.planted.mediaType });
  res.end(req.method === 'HEAD' ? undefined : ctx.planted.bytes);
}

function serveApi(
  ctx: Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  [repo, kind, rest]: [string, string, string],
): void {
  const ref = decodeURIComponent(rest);
  if (kind === 'blobs' && rest.startsWith('uploads/')) serveUploads(ctx, req, res, repo);
  else if (req.method === 'PUT') acceptPut(req, res);
  else if (repo !== HOSTILE_REPOSITORY) notFound(res, 'NAME_UNKNOWN');
  else if (kind === 'manifests') serveManifest(ctx, req, res, ref);
  else if (kind === 'blobs') serveBlob(ctx, req, res, ref);
  else serveReferrers(ctx, res, ref);
}

function acceptPut(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  req.on('end', () => res.writeHead(201, { 'content-length': 0 }).end());
}

function serveReferrers(ctx: Context, res: http.ServerResponse, digest: string) {
  const listed = ctx.catalog.referrers.get(digest);
  if (!listed) return notFound(res, 'NOT_FOUND');
  const type = 'application/vnd.oci.image.index.v1+json';
  json(res, 200, { schemaVersion: 2, mediaType: type, manifests: listed }, { 'content-type': type });
}

/** Starts a hostile registry (see HostileRegistryOptions for the defaults) and its canary. */
export async function startHostileRegistry(options: HostileRegistryOptions = {}): Promise<HostileRegistry> {
  const misbehaviour = options.misbehaviour ?? 'none';
  const image =
    options.image ??
    (await buildRandomImage({ platforms: ['linux/amd64', 'linux/arm64'], layers: 1, layerSize: 8192 }));
  const catalog = await catalogOf(image);
  shape(catalog, image, misbehaviour, options);
  const canary = await startCanary();
  const first = image.manifests[0]!;
  const ctx: Context = {
    misbehaviour,
    catalog,
    planted: options.planted ?? { bytes: first.bytes, mediaType: first.mediaType },
    target: options.target ?? (misbehaviour === 'realm-to-loopback' ? `${canary.url}/token` : canary.url),
    tickMs: options.tickMs ?? 50,
    credentials: options.credentials,
    timers: new Set(),
  };
  const requests: SeenRequest[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    record(requests, req);
    route(ctx, req, res);
  };
  let caPem: string | undefined;
  let dir: string | undefined;
  let server: http.Server;
  if (options.tls) {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ar-mirror-hostile-'));
    const tls = await createTlsMaterial(dir);
    caPem = tls.caPem;
    server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, handler);
  } else {
    server = http.createServer(handler);
  }
  const port = await listen(server);
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    image,
    top: catalog.top,
    requests,
    canary,
    ...(caPem ? { caPem } : {}),
    async stop() {
      for (const timer of ctx.timers) clearTimeout(timer);
      await Promise.all([close(server), canary.stop()]);
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
}
