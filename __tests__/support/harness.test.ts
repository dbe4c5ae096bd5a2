import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, startFaultProxy } from './fault-proxy.js';
import { buildRandomImage, MEDIA_TYPES, type PushedImage, pushRandomImage } from './images.js';
import { type RegistryMode, rawRequest, scopeForPath, startRegistry, type TestRegistry } from './registry.js';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const ALL_MANIFEST_TYPES = [...Object.values(MEDIA_TYPES.oci), ...Object.values(MEDIA_TYPES.docker)].join(
  ', ',
);

/** Reads the image back through the harness and checks every digest and size the registry reports. */
async function expectReadable(registry: TestRegistry, repository: string, image: PushedImage): Promise<void> {
  const tag = image.reference.slice(image.reference.lastIndexOf(':') + 1);
  const top = await registry.fetch(`/v2/${repository}/manifests/${tag}`, {
    headers: { accept: ALL_MANIFEST_TYPES },
  });
  expect([
    top.status,
    top.headers['docker-content-digest'],
    top.headers['content-type'],
    sha256(top.body),
  ]).toEqual([200, image.digest, image.mediaType, image.digest]);
  for (const manifest of image.manifests) {
    const res = await registry.fetch(`/v2/${repository}/manifests/${manifest.digest}`, {
      headers: { accept: manifest.mediaType },
    });
    expect([res.status, sha256(res.body)]).toEqual([200, manifest.digest]);
  }
  for (const blob of image.blobs) {
    const res = await registry.fetch(`/v2/${repository}/blobs/${blob.digest}`, { method: 'HEAD' });
    expect([res.status, res.headers['content-length']]).toEqual([200, String(blob.size)]);
  }
}

describe('image builder', () => {
  it('is deterministic for a seed and shares the first layers across platforms', async () => {
    const options = {
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      layers: 3,
      layerSize: 1024,
      seed: 7,
    };

    const first = await buildRandomImage(options);
    const second = await buildRandomImage(options);
    const other = await buildRandomImage({ ...options, seed: 8 });

    expect(second.digest).toBe(first.digest);
    expect(other.digest).not.toBe(first.digest);
    // 3 configs + 1 shared layer + 3 platforms × 2 own layers.
    expect(first.blobs).toHaveLength(10);
    expect(first.manifests.map((m) => m.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    const index = JSON.parse(first.bytes.toString('utf8'));
    expect(index.mediaType).toBe(MEDIA_TYPES.oci.index);
    expect(index.manifests.map((m: { digest: string }) => m.digest)).toEqual(
      first.manifests.map((m) => m.digest),
    );
  });

  it('builds a single manifest without an index by default', async () => {
    const image = await buildRandomImage({ format: 'docker', layers: 1, layerSize: 10, seed: 1 });

    const manifest = JSON.parse(image.bytes.toString('utf8'));

    expect(image.mediaType).toBe(MEDIA_TYPES.docker.manifest);
    expect(image.manifests.map((m) => m.digest)).toEqual([image.digest]);
    expect(manifest.config.mediaType).toBe(MEDIA_TYPES.docker.config);
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      MEDIA_TYPES.docker.layer,
    ]);
    expect(image.blobs.map((b) => b.digest)).toEqual([manifest.config.digest, manifest.layers[0].digest]);
  });
});

describe('scopeForPath', () => {
  it('maps request paths to the scope the harness user asks for', () => {
    expect(scopeForPath('/v2/')).toBeUndefined();
    expect(scopeForPath('/v2/_catalog')).toBe('registry:catalog:*');
    expect(scopeForPath('/v2/lib/app/blobs/uploads/abc')).toBe('repository:lib/app:pull,push,delete');
    expect(scopeForPath('/v2/a/manifests/1')).toBe('repository:a:pull,push,delete');
  });
});

const MODES: RegistryMode[] = ['none', 'basic', 'token', 'tls', 'basic+tls', 'token+tls'];

describe.each(MODES)('registry in %s mode', (mode) => {
  let registry: TestRegistry;
  const isAuth = mode.startsWith('basic') || mode.startsWith('token');
  const isTls = mode === 'tls' || mode.endsWith('+tls');

  beforeAll(async () => {
    registry = await startRegistry({ mode });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('answers /v2/ anonymously as the mode requires, and to the harness with 200', async () => {
    const anonymous = await rawRequest(new URL('/v2/', registry.url), { ca: registry.caPem });
    const harness = await registry.fetch('/v2/');

    expect(registry.url).toBe(`${isTls ? 'https' : 'http'}://${registry.host}`);
    expect(anonymous.status).toBe(isAuth ? 401 : 200);
    const challenge = anonymous.headers['www-authenticate'];
    if (mode.startsWith('basic')) expect(challenge).toBe('Basic realm="ar-mirror-test"');
    if (mode.startsWith('token')) {
      expect(challenge).toBe(`Bearer realm="${registry.tokenRealm}",service="ar-mirror-test-registry"`);
    }
    expect(harness.status).toBe(200);
  });

  it.runIf(isAuth)('refuses an anonymous push', async () => {
    const res = await rawRequest(new URL('/v2/lib/anon/blobs/uploads/', registry.url), {
      method: 'POST',
      ca: registry.caPem,
    });

    expect(res.status).toBe(401);
  });

  it.each(['oci', 'docker'] as const)(
    'stores a pushed %s image with the digests the builder computed',
    async (format) => {
      const repository = `lib/${format}`;

      const image = await pushRandomImage(registry, `${repository}:1`, {
        platforms: ['linux/amd64', 'linux/arm64'],
        format,
      });

      expect(image.reference).toBe(`${registry.host}/${repository}:1`);
      expect(image.mediaType).toBe(MEDIA_TYPES[format].index);
      await expectReadable(registry, repository, image);
    },
  );

  it.runIf(isTls)('serves a certificate that only the throwaway CA verifies', async () => {
    const untrusted = rawRequest(new URL('/v2/', registry.url));

    await expect(untrusted).rejects.toThrow(/self[- ]signed|unable to verify|unable to get local issuer/i);
    expect(registry.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});

describe('token server', () => {
  let registry: TestRegistry;
  const realm = () => new URL(registry.tokenRealm!);
  const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
  const tokenFor = async (scope: string, authorization?: string) => {
    const url = realm();
    url.searchParams.set('service', 'ar-mirror-test-registry');
    url.searchParams.set('scope', scope);
    const res = await rawRequest(url, { headers: authorization ? { authorization } : {} });
    return { status: res.status, body: JSON.parse(res.body.toString('utf8')) };
  };
  const startUpload = (token: string) =>
    rawRequest(new URL('/v2/lib/t/blobs/uploads/', registry.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });

  beforeAll(async () => {
    registry = await startRegistry({ mode: 'token' });
  });
  afterAll(async () => {
    await registry?.stop();
  });

  it('signs with a libtrust kid and grants what each caller may do, logging scopes in order', async () => {
    registry.tokenRequests!.length = 0;

    const anonymous = await tokenFor('repository:lib/t:push,pull');
    const writer = await tokenFor(
      'repository:lib/t:push,pull',
      basic(registry.username!, registry.password!),
    );
    const reader = await tokenFor(
      'repository:lib/t:push,pull',
      basic(registry.pullOnly!.username, registry.pullOnly!.password),
    );
    const wrong = await tokenFor('repository:lib/t:pull', basic(registry.username!, 'wrong'));

    const header = JSON.parse(Buffer.from(writer.body.token.split('.')[0], 'base64url').toString('utf8'));
    expect(header).toEqual({
      typ: 'JWT',
      alg: 'ES256',
      kid: expect.stringMatching(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/),
    });
    expect(writer.body.access_token).toBe(writer.body.token);
    expect([anonymous.status, writer.status, reader.status, wrong.status]).toEqual([200, 200, 200, 401]);
    expect((await startUpload(writer.body.token)).status).toBe(202);
    const refused = await startUpload(anonymous.body.token);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect((await startUpload(reader.body.token)).status).toBe(401);
    const pull = { type: 'repository', name: 'lib/t', actions: ['pull'] };
    const service = 'ar-mirror-test-registry';
    const scopes = ['repository:lib/t:push,pull'];
    expect(registry.tokenRequests).toEqual([
      { method: 'GET', username: undefined, service, scopes, granted: [pull], status: 200 },
      {
        method: 'GET',
        username: 'tester',
        service,
        scopes,
        granted: [{ type: 'repository', name: 'lib/t', actions: ['push', 'pull'] }],
        status: 200,
      },
      { method: 'GET', username: 'puller', service, scopes, granted: [pull], status: 200 },
      {
        method: 'GET',
        username: undefined,
        service,
        scopes: ['repository:lib/t:pull'],
        granted: [],
        status: 401,
      },
    ]);
  });

  it('grants nothing to anonymous callers once anonymous pull is off', async () => {
    await pushRandomImage(registry, 'lib/private:1', { layers: 1, layerSize: 16 });
    registry.setAnonymousPull!(false);

    const anonymous = await tokenFor('repository:lib/private:pull');
    const read = await rawRequest(new URL('/v2/lib/private/manifests/1', registry.url), {
      headers: { authorization: `Bearer ${anonymous.body.token}`, accept: ALL_MANIFEST_TYPES },
    });
    registry.setAnonymousPull!(true);

    expect(anonymous.body.token).toBeDefined();
    expect(read.status).toBe(401);
  });
});

describe('fault proxy', () => {
  let registry: TestRegistry;
  let proxy: FaultProxy;
  let image: PushedImage;
  let layer: { digest: string; size: number };
  const blobPath = () => `/v2/lib/f/blobs/${layer.digest}`;
  const viaProxy = (path: string, init: { method?: string } = {}) =>
    rawRequest(new URL(path, proxy.url), init);
  const isBlobGet = (req: { method: string; path: string }) =>
    req.method === 'GET' && req.path.includes('/blobs/');

  beforeAll(async () => {
    registry = await startRegistry({ mode: 'none' });
    proxy = await startFaultProxy(registry);
    image = await pushRandomImage(registry, 'lib/f:1', { layers: 1, layerSize: 4096 });
    layer = image.blobs[1]!;
  });
  afterAll(async () => {
    await proxy?.stop();
    await registry?.stop();
  });

  it('forwards untouched when no rule matches, rewriting Location to itself, and records requests', async () => {
    proxy.setRules([]);
    proxy.requests.length = 0;

    const blob = await viaProxy(blobPath());
    const upload = await viaProxy('/v2/lib/f/blobs/uploads/', { method: 'POST' });

    expect([blob.status, sha256(blob.body)]).toEqual([200, layer.digest]);
    expect(upload.status).toBe(202);
    expect(upload.headers.location?.startsWith(`${proxy.url}/v2/lib/f/blobs/uploads/`)).toBe(true);
    expect(proxy.requests).toEqual([
      { method: 'GET', path: blobPath(), status: 200 },
      { method: 'POST', path: '/v2/lib/f/blobs/uploads/', status: 202 },
    ]);
  });

  it('answers with a given status the given number of times', async () => {
    proxy.setRules([
      {
        match: isBlobGet,
        times: 1,
        action: 'status',
        status: 429,
        headers: { 'retry-after': '2' },
        body: 'slow down',
      },
    ]);

    const first = await viaProxy(blobPath());
    const second = await viaProxy(blobPath());

    expect([first.status, first.headers['retry-after'], first.body.toString()]).toEqual([
      429,
      '2',
      'slow down',
    ]);
    expect(second.status).toBe(200);
  });

  it('cuts a body after some bytes while announcing the full length', async () => {
    proxy.setRules([{ match: isBlobGet, times: 1, action: 'cut-body', afterBytes: 100 }]);

    const response = await fetch(new URL(blobPath(), proxy.url));
    const reader = response.body!.getReader();
    let received = 0;
    const failure = await (async () => {
      for (let i = 0; i < 1000; i++) {
        const chunk = await reader.read();
        if (chunk.done) return undefined;
        received += chunk.value.length;
      }
    })().catch((err: unknown) => err);

    expect([response.status, response.headers.get('content-length'), received]).toEqual([
      200,
      String(layer.size),
      100,
    ]);
    expect(failure).toBeInstanceOf(TypeError);
    expect((await viaProxy(blobPath())).status).toBe(200);
  });

  it('corrupts a body without changing its length', async () => {
    proxy.setRules([{ match: isBlobGet, times: 1, action: 'corrupt-body' }]);

    const corrupted = await viaProxy(blobPath());

    expect([corrupted.status, corrupted.body.length]).toEqual([200, layer.size]);
    expect(sha256(corrupted.body)).not.toBe(layer.digest);
  });

  it('drops the connection without an answer', async () => {
    proxy.setRules([{ match: isBlobGet, times: 1, action: 'drop-connection' }]);
    proxy.requests.length = 0;

    const dropped = viaProxy(blobPath());

    await expect(dropped).rejects.toThrow(/socket hang up|ECONNRESET/i);
    expect(proxy.requests).toEqual([{ method: 'GET', path: blobPath(), status: 0 }]);
  });

  it('carries a whole push through itself', async () => {
    proxy.setRules([]);
    const front = { ...registry, url: proxy.url, host: proxy.host };
    front.fetch = (path, init) => rawRequest(new URL(path, proxy.url), init);

    const pushed = await pushRandomImage(front, 'lib/through:1', { layers: 1, layerSize: 512 });

    await expectReadable(registry, 'lib/through', { ...pushed, reference: `${registry.host}/lib/through:1` });
  });
});

describe('cleanup when the test process is killed', () => {
  it('stops the registry and removes its data dir once its parent dies without running hooks', async () => {
    const script = `
      const { startRegistry } = await import(${JSON.stringify(new URL('./registry.ts', import.meta.url).href)});
      const registry = await startRegistry();
      console.log(JSON.stringify({ url: registry.url, dataDir: registry.dataDir }));
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const started = JSON.parse(line.toString('utf8')) as { url: string; dataDir: string };
    const answered = await rawRequest(new URL('/v2/', started.url));

    child.kill('SIGKILL');
    let gone = false;
    for (let attempt = 0; attempt < 50 && !gone; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await rawRequest(new URL('/v2/', started.url)).then(
        () => false,
        () => true,
      );
      gone = refused && !existsSync(started.dataDir);
    }

    expect(answered.status).toBe(200);
    expect(gone).toBe(true);
  });
});
