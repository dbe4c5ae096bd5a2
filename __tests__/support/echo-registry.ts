/**
 * A small hostile source registry for the output guards (issue 7, rules 2 and 3): it asks for
 * credentials and then sends back what it received, or serves an image whose foreign layer has
 * a digest built to inject workflow commands. Only what those tests need; the broad
 * hostile-registry harness lives in hostile-registry.ts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the registry does once a request carries credentials:
 * - `echo-body`: answers manifests with 403 and a spec error whose message holds the
 *   Authorization header, the decoded `user:password` and the password;
 * - `echo-platform`: serves `lib/app:1`, an OCI index whose child's platform variant is the
 *   password (Basic) or the token (Bearer) the request carried, so the secret comes back in a
 *   successful copy's result, past every error-body guard;
 * - `foreign-layer`: serves `lib/app:1`, an image whose foreign layer's digest is `digest`
 *   (and no blobs, so the copy ends right after it has looked at the layers).
 */
export type EchoMode = 'echo-body' | 'echo-platform' | 'foreign-layer';

export interface EchoRegistryOptions {
  mode: EchoMode;
  /** `basic`: Basic auth on every request; `bearer`: a token realm on this server; `none`. */
  auth: 'basic' | 'bearer' | 'none';
  /** The foreign layer's digest in `foreign-layer` mode. */
  digest?: string;
  /** The platform variant in `echo-platform` mode. Default: the secret the request carried. */
  variant?: string;
}

export interface EchoRegistry {
  /** `127.0.0.1:PORT`. */
  host: string;
  username: string;
  password: string;
  /** Every bearer token handed out so far. */
  tokens: string[];
  close(): Promise<void>;
}

/** Starts the registry on 127.0.0.1 with a random password. */
export async function startEchoRegistry(options: EchoRegistryOptions): Promise<EchoRegistry> {
  const state = {
    username: 'mirror-bot',
    // Lowercase letters and digits: a valid platform variant, so it survives platform validation.
    password: `pw${randomBytes(8).toString('hex')}`,
    tokens: [] as string[],
    host: '',
  };
  const server = createServer((req, res) => {
    handle(req, res, options, state);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get host() {
      return state.host;
    },
    username: state.username,
    password: state.password,
    tokens: state.tokens,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type State = { username: string; password: string; tokens: string[]; host: string };

function handle(req: IncomingMessage, res: ServerResponse, options: EchoRegistryOptions, state: State): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const authorization = req.headers.authorization ?? '';
  const basic = `Basic ${Buffer.from(`${state.username}:${state.password}`).toString('base64')}`;
  if (url.pathname === '/token') {
    if (authorization !== basic) return void res.writeHead(401).end();
    const token = `tok${randomBytes(12).toString('hex')}`;
    state.tokens.push(token);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
    return;
  }
  const authorised =
    options.auth === 'none' ||
    (options.auth === 'basic'
      ? authorization === basic
      : state.tokens.some((t) => authorization === `Bearer ${t}`));
  if (!authorised) {
    const challenge =
      options.auth === 'basic'
        ? 'Basic realm="echo"'
        : `Bearer realm="http://${state.host}/token",service="echo"`;
    res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    return;
  }
  if (url.pathname === '/v2/') return void res.writeHead(200).end('{}');
  if (options.mode === 'echo-body') {
    if (req.method === 'HEAD') return void res.writeHead(200, { 'docker-content-digest': ZERO_DIGEST }).end();
    const echo = `${authorization} (${state.username}:${state.password}; ${state.password})`;
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'DENIED', message: `rejected ${echo}` }] }));
    return;
  }
  // The secret the request carried: the password (Basic) or the token (Bearer).
  const secret = options.auth === 'bearer' ? authorization.slice('Bearer '.length) : state.password;
  const image =
    options.mode === 'echo-platform'
      ? platformImage(options.variant ?? secret)
      : foreignLayerImage(options.digest ?? '');
  const found = image.get(url.pathname.replace(/^\/v2\/lib\/app\//, ''));
  if (!found) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[]}');
  res.writeHead(200, {
    'content-type': found.type,
    'content-length': found.bytes.length,
    'docker-content-digest': found.digest,
  });
  res.end(req.method === 'HEAD' ? undefined : found.bytes);
}

const ZERO_DIGEST = `sha256:${'0'.repeat(64)}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

interface Served {
  type: string;
  bytes: Buffer;
  digest: string;
}

/** Content addressed: `manifests/<digest>` and `blobs/<digest>`, plus `manifests/1` for `top`. */
function store(top: Served, items: Served[]): Map<string, Served> {
  const map = new Map<string, Served>([['manifests/1', top]]);
  for (const item of [top, ...items]) {
    const kind = item.type.includes('manifest') || item.type.includes('index') ? 'manifests' : 'blobs';
    map.set(`${kind}/${item.digest}`, item);
  }
  return map;
}

function served(type: string, content: Buffer | object): Served {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
  return { type, bytes, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

const CONFIG = served('application/octet-stream', {
  architecture: 'amd64',
  os: 'linux',
  rootfs: { type: 'layers' },
});
const LAYER = served('application/octet-stream', Buffer.from('a layer that is only bytes'));
const describe = (item: Served, mediaType: string) => ({
  mediaType,
  size: item.bytes.length,
  digest: item.digest,
});

/** `lib/app:1`: an OCI index whose one child's platform variant is `variant`. */
function platformImage(variant: string): Map<string, Served> {
  const child = served(OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: describe(CONFIG, 'application/vnd.oci.image.config.v1+json'),
    layers: [describe(LAYER, 'application/vnd.oci.image.layer.v1.tar')],
  });
  const index = served('application/vnd.oci.image.index.v1+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { ...describe(child, OCI_MANIFEST), platform: { os: 'linux', architecture: 'amd64', variant } },
    ],
  });
  return store(index, [child, CONFIG, LAYER]);
}

/** `lib/app:1`: a Docker image with one foreign layer whose digest is `digest`. */
function foreignLayerImage(digest: string): Map<string, Served> {
  const manifest = served('application/vnd.docker.distribution.manifest.v2+json', {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: describe(CONFIG, 'application/vnd.docker.container.image.v1+json'),
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
        size: 1024,
        digest,
        urls: ['https://example.invalid/layer.tar.gz'],
      },
    ],
  });
  // No blobs: the copy fails at its first transfer, right after it has logged the foreign layer.
  return store(manifest, []);
}
