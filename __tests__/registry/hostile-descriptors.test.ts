/**
 * docs/security.md, Registry: what a source registry sends as manifests, descriptors, referrers
 * and headers is validated before use, and bounded. Each test copies from the hostile registry
 * (reached as `hostile.example` through an endpoint, so it is not an exempted local registry)
 * into a real registry, and checks that nothing was written there and the error names the image.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCopyCommand } from '../../src/commands/copy.js';
import { type CopyOptions, copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import {
  type HostileRegistry,
  type HostileRegistryOptions,
  PATH_DIGEST,
  startHostileRegistry,
} from '../support/hostile-registry.js';
import { type BuiltImage, buildRandomImage, pushBuiltImage } from '../support/images.js';
import { rawRequest, startRegistry, type TestRegistry } from '../support/registry.js';

let registry: TestRegistry;
// The destination, through a recording proxy so the tests see every request it received.
let dst: FaultProxy;
let hostile: HostileRegistry | undefined;
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  dst = await startFaultProxy(registry);
});
afterAll(async () => {
  await dst?.stop();
  await registry?.stop();
});
afterEach(async () => {
  await hostile?.stop();
  hostile = undefined;
  dst.requests.length = 0;
});

const SOURCE = 'hostile.example/src/app:1';

async function start(options: HostileRegistryOptions): Promise<HostileRegistry> {
  hostile = await startHostileRegistry(options);
  return hostile;
}

function copyOptions(h: HostileRegistry, extra: Partial<CopyOptions> = {}): CopyOptions {
  return {
    keychain: anonymousKeychain,
    plainHttp: [dst.host],
    endpoints: { 'hostile.example': h.url },
    retry: { sleep: async () => {}, attempts: 2 },
    ...extra,
  };
}

/** Copies from the hostile registry into a fresh repository; the error, or undefined when it succeeded. */
async function copyFrom(h: HostileRegistry, extra: Partial<CopyOptions> = {}) {
  const repo = `dst${++run}/app`;
  const error = await copyImage(SOURCE, `${dst.host}/${repo}:1`, copyOptions(h, extra)).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { repo, error, prefix: `copying ${SOURCE} → ${dst.host}/${repo}:1: ` };
}

/** Every request the destination received that wrote something (anything but GET/HEAD). */
const writes = () => dst.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');

/** Requests the hostile source received outside `/v2/` and its own repository. */
const outOfScope = (h: HostileRegistry) =>
  h.requests.filter((r) => r.path !== '/v2/' && !r.path.startsWith('/v2/src/app/'));

async function manifestDigest(repo: string, tag: string): Promise<string | number> {
  const res = await registry.fetch(`/v2/${repo}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
    },
  });
  return res.status === 200 ? (res.headers['docker-content-digest'] ?? '') : res.status;
}

/** An image already at the destination under `other/app:1`, where PATH_DIGEST leads, and a variant of it to plant. */
async function plantTarget(): Promise<{ image: BuiltImage; planted: { bytes: Buffer; mediaType: string } }> {
  const image = await buildRandomImage({
    platforms: ['linux/amd64', 'linux/arm64'],
    layers: 1,
    layerSize: 8192,
  });
  await pushBuiltImage(registry, 'other/app:1', image);
  const doc = JSON.parse(image.manifests[0]!.bytes.toString('utf8')) as object;
  const bytes = Buffer.from(JSON.stringify({ ...doc, annotations: { planted: 'yes' } }));
  return { image, planted: { bytes, mediaType: image.manifests[0]!.mediaType } };
}

describe('the hostile registry harness', () => {
  it('serves a valid image that copies byte for byte when it behaves', async () => {
    const h = await start({ misbehaviour: 'none' });

    const { error, repo } = await copyFrom(h);

    expect(error).toBeUndefined();
    expect(await manifestDigest(repo, '1')).toBe(h.top);
  });

  it('echo-authorization: quotes the Authorization header it was sent in its error body', async () => {
    const h = await start({
      misbehaviour: 'echo-authorization',
      credentials: { username: 'u', password: 'pw-123' },
    });
    const authorization = `Basic ${Buffer.from('u:pw-123').toString('base64')}`;

    const res = await rawRequest(new URL(`${h.url}/v2/src/app/manifests/1`), { headers: { authorization } });

    expect([res.status, JSON.parse(res.body.toString('utf8'))]).toEqual([
      403,
      { errors: [{ code: 'DENIED', message: `access denied for Authorization: ${authorization}` }] },
    ]);
  });
});

describe('rule 1: registry digests are parsed before any use', () => {
  it('refuses a referrer whose digest is a path, and overwrites nothing (copy --signatures)', async () => {
    const { image, planted } = await plantTarget();
    const h = await start({ misbehaviour: 'referrer-path-digest', image, planted });
    const repo = `dst${++run}/app`;
    const out: string[] = [];
    const err: string[] = [];

    const code = await runCopyCommand(
      [SOURCE, `${dst.host}/${repo}:1`, '--signatures', '--plain-http', dst.host],
      {
        stdout: (s) => out.push(s),
        stderr: (s) => err.push(s),
        isTTY: false,
        env: {
          HOME: registry.dataDir,
          DOCKER_CONFIG: registry.dataDir,
          AR_MIRROR_REGISTRY_ENDPOINTS: `hostile.example=${h.url}`,
        },
      },
    );

    expect(code).toBe(1);
    expect(err.join('')).toContain(
      `ar-mirror copy: copying ${SOURCE} → ${dst.host}/${repo}:1: resolving signatures: listing referrers of ${h.top}: referrers[0].digest: digest "${PATH_DIGEST}" must be sha256:<64 hex> or sha512:<128 hex>`,
    );
    expect([await manifestDigest('other/app', '1'), await manifestDigest(repo, '1'), writes()]).toEqual([
      image.digest,
      404,
      [],
    ]);
    expect(outOfScope(h)).toEqual([]);
  });

  it('refuses an index child whose digest is a path, before any write', async () => {
    const h = await start({ misbehaviour: 'child-path-digest' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(
      `${prefix}manifests[0].digest: digest "${PATH_DIGEST}" must be sha256:<64 hex> or sha512:<128 hex>`,
    );
    expect([writes(), outOfScope(h)]).toEqual([[], []]);
  });

  it('refuses a Docker-Content-Digest header that is a path, and reads nothing outside the source repository', async () => {
    const { planted } = await plantTarget();
    const h = await start({ misbehaviour: 'header-digest-path', planted });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(
      `${prefix}resolving source: the registry's Docker-Content-Digest header: digest "${PATH_DIGEST}" must be sha256:<64 hex> or sha512:<128 hex>`,
    );
    expect([writes(), outOfScope(h)]).toEqual([[], []]);
  });

  it('refuses a layer digest carrying a newline and workflow commands, quoting it escaped', async () => {
    const h = await start({ misbehaviour: 'control-chars-in-digest' });

    const { error, prefix } = await copyFrom(h);

    expect(
      error?.message.startsWith(`${prefix}layers[1].digest: a sha256 digest must be 64 lowercase hex`),
    ).toBe(true);
    expect(error?.message).toContain('\\n::error');
    expect(error?.message).not.toContain('\n');
    expect(writes()).toEqual([]);
  });
});

describe('rule 10: platforms from a registry follow the os/arch[/variant] grammar', () => {
  it('refuses an index whose platform carries markdown and a mention, before any write', async () => {
    const h = await start({ misbehaviour: 'bad-platform' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(
      `${prefix}manifests[1]: platform "linux"/"arm64](https://evil.example/x) @everyone" is not os/architecture[/variant] (lowercase letters and digits)`,
    );
    expect(writes()).toEqual([]);
  });
});

describe('rule 4: a blob stream is bounded by its descriptor', () => {
  it.each(['extra-bytes', 'extra-bytes-length'] as const)(
    '%s: aborts, cancels the upload, commits nothing and never forwards the extra bytes',
    async (misbehaviour) => {
      const h = await start({ misbehaviour });
      const layer = h.image.blobs.find((b) => b.size > 1024)!;

      const { error, prefix, repo } = await copyFrom(h);

      expect(error?.message.startsWith(`${prefix}uploading blob ${layer.digest}: `)).toBe(true);
      const blob = await registry.fetch(`/v2/${repo}/blobs/${layer.digest}`, { method: 'HEAD' });
      expect([blob.status, await manifestDigest(repo, '1')]).toEqual([404, 404]);
      // The smuggled request never reached the destination, and every session opened was cancelled.
      const paths = dst.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`);
      expect(paths.filter((p) => p.includes('sha256:0000'))).toEqual([]);
      const opened = paths.filter((p) => p.startsWith('POST ')).length;
      const committed = dst.requests.filter((r) => r.method === 'PUT' && r.status === 201);
      const cancelled = paths.filter((p) => p.startsWith(`DELETE /v2/${repo}/blobs/uploads/`)).length;
      expect(committed.filter((r) => r.path.includes(encodeURIComponent(layer.digest)))).toEqual([]);
      expect([cancelled, cancelled]).toEqual([2, opened - committed.length]);
    },
  );
});

describe('rule 5: index expansion is de-duplicated and bounded', () => {
  it('refuses an index listing one child 10,000 times, after one request for it', async () => {
    const h = await start({ misbehaviour: 'index-fanout' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(`${prefix}manifest "manifests" lists 10000 entries; the limit is 256`);
    expect([writes(), h.requests.filter((r) => r.path.includes('/manifests/')).length]).toEqual([[], 2]);
  });

  it('fetches and pushes a child listed 200 times once, and keeps the index byte for byte', async () => {
    const h = await start({ misbehaviour: 'index-fanout', fanout: 200 });
    const child = h.image.manifests[0]!.digest;

    const { error, repo } = await copyFrom(h);

    expect(error).toBeUndefined();
    expect(await manifestDigest(repo, '1')).toBe(h.top);
    expect(h.requests.filter((r) => r.method === 'GET' && r.path.endsWith(child)).length).toBe(1);
    expect(dst.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(child)).length).toBe(1);
  });

  it('refuses indexes nested deeper than two levels, before any write', async () => {
    const h = await start({ misbehaviour: 'nested-index-bomb' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(`${prefix}indexes nest more than 2 levels deep (the limit)`);
    expect(writes()).toEqual([]);
    // The top, its 3 children and their 9: the 27 below are never asked for.
    expect(
      h.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/')).length,
    ).toBeLessThanOrEqual(13);
  });

  it('refuses a job of more than 1024 manifests, before any write', async () => {
    const h = await start({ misbehaviour: 'manifest-flood' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toMatch(
      new RegExp(
        `^${escapeRegExp(prefix)}fetching manifest sha256:[0-9a-f]{64}: the image has more than 1024 manifests \\(the limit per copy\\)$`,
      ),
    );
    expect(writes()).toEqual([]);
    expect(
      h.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/')).length,
    ).toBeLessThanOrEqual(1030);
  });
});

describe('blob flood', () => {
  it('refuses a job of more than 4096 distinct blobs, before any write', async () => {
    const h = await start({ misbehaviour: 'blob-flood' });

    const { error, prefix } = await copyFrom(h);

    expect(error?.message).toBe(`${prefix}the image has more than 4096 blobs (the limit per copy)`);
    expect(writes()).toEqual([]);
    // Transfers queued when the limit tripped never went out.
    expect(h.requests.filter((r) => r.path.includes('/blobs/')).length).toBeLessThan(1000);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
