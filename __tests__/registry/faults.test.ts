import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CopyOptions, copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { parseRepository } from '../../src/registry/names.js';
import { createSharedBlobs } from '../../src/registry/shared-blobs.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// One registry behind two fault proxies: the source is read through one and the destination
// written through the other, so faults hit one side at a time and nothing is mounted.
let registry: TestRegistry;
let src: FaultProxy;
let dst: FaultProxy;
let image: PushedImage;
let slept: number[];
let run = 0;

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  [src, dst] = await Promise.all([startFaultProxy(registry), startFaultProxy(registry)]);
  image = await pushRandomImage(registry, 'src/app:1', {
    platforms: ['linux/amd64', 'linux/arm64'],
    layers: 2,
    layerSize: 64 * 1024,
    sharedLayers: 1,
  });
});
afterAll(async () => {
  await Promise.all([src?.stop(), dst?.stop()]);
  await registry?.stop();
});
beforeEach(() => {
  slept = [];
  run++;
  src.setRules([]);
  dst.setRules([]);
  src.requests.length = 0;
  dst.requests.length = 0;
});

const options = (): CopyOptions => ({
  keychain: anonymousKeychain,
  plainHttp: [src.host, dst.host],
  retry: { sleep: async (ms) => void slept.push(ms), random: () => 0.5, attempts: 3 },
});
const layer = () => image.blobs.find((b) => b.size > 10_000)!.digest;
const isBlobGet = (digest: string) => (r: { method: string; path: string }) =>
  r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`);
const copy = (repo: string) => copyImage(`${src.host}/src/app:1`, `${dst.host}/${repo}:1`, options());
async function tagStatus(repo: string): Promise<number> {
  return (
    await registry.fetch(`/v2/${repo}/manifests/1`, { method: 'HEAD', headers: { accept: image.mediaType } })
  ).status;
}

describe('copy under faults', () => {
  it('waits as Retry-After says on a 429 and then copies', async () => {
    src.setRules([
      {
        match: (r) => r.method === 'GET' && r.path.includes('/manifests/'),
        times: 1,
        action: 'status',
        status: 429,
        headers: { 'retry-after': '7' },
        body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
      },
    ]);

    const result = await copy(`f429/${run}`);

    expect([result.digest, slept]).toEqual([image.digest, [7000]]);
  });

  it('backs off exponentially on 503s from the destination', async () => {
    dst.setRules([
      {
        match: (r) => r.method === 'HEAD' && r.path.endsWith(`/blobs/${layer()}`),
        times: 2,
        action: 'status',
        status: 503,
      },
    ]);

    const result = await copy(`f503/${run}`);

    expect([result.digest, slept]).toEqual([image.digest, [1000, 2000]]);
  });

  it('retries a failing blob at one level only: `attempts` tries in all, not attempts squared', async () => {
    const repo = `fnest/${run}`;
    const isLayerHead = (r: { method: string; path: string }) =>
      r.method === 'HEAD' && r.path.endsWith(`/blobs/${layer()}`);
    dst.setRules([{ match: isLayerHead, action: 'status', status: 503 }]);

    const error = await copy(repo).then(
      () => new Error('copy succeeded'),
      (e: unknown) => e as Error,
    );

    expect(error.message).toBe(
      `copying ${src.host}/src/app:1 → ${dst.host}/${repo}:1: uploading blob ${layer()}: HEAD http://${dst.host}/v2/${repo}/blobs/${layer()}: 503 Service Unavailable`,
    );
    expect([dst.requests.filter(isLayerHead).length, slept]).toEqual([3, [1000, 2000]]);
  });

  it('honours Retry-After on a blob transfer retried as a whole', async () => {
    dst.setRules([
      {
        match: (r) => r.method === 'HEAD' && r.path.endsWith(`/blobs/${layer()}`),
        times: 1,
        action: 'status',
        status: 429,
        headers: { 'retry-after': '3' },
      },
    ]);

    const result = await copy(`fblob429/${run}`);

    expect([result.digest, slept]).toEqual([image.digest, [3000]]);
  });

  it('restarts a blob whose download is cut in the middle and cancels the broken upload session', async () => {
    src.setRules([{ match: isBlobGet(layer()), times: 1, action: 'cut-body', afterBytes: 20_000 }]);

    const result = await copy(`fcut/${run}`);

    expect(result.digest).toBe(image.digest);
    expect(src.requests.filter((r) => isBlobGet(layer())(r)).length).toBe(2);
    expect(
      dst.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/blobs/uploads/')).length,
    ).toBe(1);
  });

  it('restarts a blob after a dropped connection', async () => {
    src.setRules([{ match: isBlobGet(layer()), times: 1, action: 'drop-connection' }]);

    const result = await copy(`fdrop/${run}`);

    expect(result.digest).toBe(image.digest);
    // The dropped GET (recorded with status 0) and its one replacement; the upload session that
    // was opened beside the dropped GET is cancelled once.
    expect(src.requests.filter(isBlobGet(layer())).map((r) => r.status)).toEqual([0, 200]);
    expect(
      dst.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/blobs/uploads/')).length,
    ).toBe(1);
    expect(slept).toEqual([1000]);
  });

  it('refuses to commit a corrupted blob and leaves no tag behind', async () => {
    const repo = `fcorrupt/${run}`;
    src.setRules([{ match: isBlobGet(layer()), action: 'corrupt-body' }]);

    const error = await copy(repo).then(
      () => new Error('copy succeeded'),
      (e: unknown) => e as Error,
    );

    expect(error.message).toMatch(
      new RegExp(
        `^copying ${src.host}/src/app:1 → ${dst.host}/${repo}:1: uploading blob ${layer()}: content has digest sha256:[0-9a-f]{64}, expected ${layer()}$`,
      ),
    );
    expect(await tagStatus(repo)).toBe(404);
    expect((await registry.fetch(`/v2/${repo}/blobs/${layer()}`, { method: 'HEAD' })).status).toBe(404);
    expect(dst.requests.filter((r) => r.method === 'PUT' && r.path.includes('/manifests/'))).toEqual([]);
    expect(slept).toEqual([1000, 2000]);
  });

  it('fails cleanly with no tag when the index cannot be pushed', async () => {
    const repo = `findex/${run}`;
    dst.setRules([
      {
        match: (r) => r.method === 'PUT' && r.path.endsWith('/manifests/1'),
        action: 'status',
        status: 400,
        body: '{"errors":[{"code":"MANIFEST_INVALID","message":"manifest invalid"}]}',
      },
    ]);

    const error = await copy(repo).then(
      () => new Error('copy succeeded'),
      (e: unknown) => e as Error,
    );

    expect(error.message).toBe(
      `copying ${src.host}/src/app:1 → ${dst.host}/${repo}:1: pushing manifest ${image.digest} as 1: PUT http://${dst.host}/v2/${repo}/manifests/1: 400 MANIFEST_INVALID (manifest invalid)`,
    );
    expect(await tagStatus(repo)).toBe(404);
  });

  it('fails loudly when the source serves a manifest that does not match its digest', async () => {
    const child = image.manifests[0]!.digest;
    src.setRules([
      { match: (r) => r.method === 'GET' && r.path.endsWith(`/manifests/${child}`), action: 'corrupt-body' },
    ]);

    const error = await copy(`fmanifest/${run}`).then(
      () => new Error('copy succeeded'),
      (e: unknown) => e as Error,
    );

    expect(error.message).toMatch(
      `fetching manifest ${child}: GET http://${src.host}/v2/src/app/manifests/${child}: manifest content has digest`,
    );
    expect(await tagStatus(`fmanifest/${run}`)).toBe(404);
  });

  it('uploads a blob itself when the other copy it waited for fails to send it', async () => {
    const repo = `fholder/${run}`;
    const shared = createSharedBlobs();
    let failHolder: (err: Error) => void = () => {};
    shared.claim(
      dst.host,
      layer(),
      parseRepository('fholder/other'),
      new Promise((_, reject) => (failHolder = reject)),
    );
    // The holder fails once this copy waits on it: the early HEADs go out as its blobs are looked up.
    const failOnHead = (r: { method: string; path: string }) => {
      if (r.method === 'HEAD' && r.path === `/v2/${repo}/blobs/${layer()}`)
        failHolder(new Error('holder failed'));
      return false;
    };
    dst.setRules([{ match: failOnHead, action: 'status', status: 500 }]);

    // Every blob's transfer starts at once (jobs above the blob count), so all are looked up first.
    const result = await copyImage(`${src.host}/src/app:1`, `${dst.host}/${repo}:1`, {
      ...options(),
      jobs: 16,
      sharedBlobs: shared,
    });

    const layerRequests = dst.requests
      .filter((r) => r.path.includes(layer()) || r.path.includes(encodeURIComponent(layer())))
      .map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} ${r.status}`);
    expect([result.digest, result.blobs]).toEqual([
      image.digest,
      { copied: image.blobs.length, skipped: 0, mounted: 0 },
    ]);
    expect(layerRequests).toEqual([
      `HEAD /v2/${repo}/blobs/${layer()} 404`,
      expect.stringMatching(new RegExp(`^PUT /v2/${repo}/blobs/uploads/[^ ]+ 201$`)),
    ]);
    expect(dst.requests.filter((r) => r.path.includes('mount='))).toEqual([]);
  });
});
