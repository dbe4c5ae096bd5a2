import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyImage } from '../../src/registry/copy.js';
import { anonymousKeychain } from '../../src/registry/credentials/types.js';
import { pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// distribution 2.8 has no referrers API. The source is reached through a small proxy that adds
// one (answering from `sourceReferrers`), so the copy sees a source with the API and a
// destination (the registry itself) without it.
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
let registry: TestRegistry;
let proxy: http.Server;
let proxyHost: string;
const sourceReferrers = new Map<string, object[]>();

beforeAll(async () => {
  registry = await startRegistry({ mode: 'none' });
  proxy = http.createServer((req, res) => {
    const match = /^\/v2\/.+\/referrers\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '');
    if (match) {
      res.writeHead(200, { 'content-type': OCI_INDEX });
      res.end(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: sourceReferrers.get(match[1]!) ?? [],
        }),
      );
      return;
    }
    const upstream = http.request(
      `${registry.url}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyHost = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await registry?.stop();
});

async function readIndex(repo: string, tag: string): Promise<unknown> {
  const res = await registry.fetch(`/v2/${repo}/manifests/${tag}`, { headers: { accept: OCI_INDEX } });
  return res.status === 200 ? JSON.parse(res.body.toString()) : res.status;
}

describe('referrers to a destination without the referrers API', () => {
  it('lists the copied referrers in the sha256-<hex> tag, adding to what it already lists', async () => {
    const image = await pushRandomImage(registry, 'src/app:1', { layers: 1, layerSize: 512 });
    const subject = { mediaType: image.mediaType, digest: image.digest, size: 0 };
    const sbom = await pushRandomImage(registry, 'src/app:sbom', { layers: 1, layerSize: 128, subject });
    const sig = await pushRandomImage(registry, 'src/app:sig', { layers: 1, layerSize: 128, subject });
    const old = await pushRandomImage(registry, 'dst/app:old-referrer', { layers: 1, layerSize: 128 });
    const descriptor = (d: { digest: string }, artifactType: string) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: d.digest,
      size: 0,
      artifactType,
    });
    sourceReferrers.set(image.digest, [
      descriptor(sbom, 'application/spdx+json'),
      descriptor(sig, 'application/vnd.dev.cosign.artifact.sig.v1+json'),
    ]);
    const hex = image.digest.replace(':', '-');
    const previous = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [descriptor(old, 'text/plain')] };
    await registry.fetch(`/v2/dst/app/manifests/${hex}`, {
      method: 'PUT',
      headers: { 'content-type': OCI_INDEX },
      body: Buffer.from(JSON.stringify(previous)),
    });

    const result = await copyImage(`${proxyHost}/src/app:1`, `${registry.host}/dst/app:1`, {
      keychain: anonymousKeychain,
      plainHttp: [proxyHost, registry.host],
      signatures: true,
    });
    const again = await copyImage(`${proxyHost}/src/app:1`, `${registry.host}/dst/app:1`, {
      keychain: anonymousKeychain,
      plainHttp: [proxyHost, registry.host],
      signatures: true,
    });

    expect(result.signatures).toEqual([`@${sbom.digest}`, `@${sig.digest}`]);
    expect(again.signatures).toEqual(result.signatures);
    expect(await readIndex('dst/app', hex)).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        descriptor(old, 'text/plain'),
        descriptor(sbom, 'application/spdx+json'),
        descriptor(sig, 'application/vnd.dev.cosign.artifact.sig.v1+json'),
      ],
    });
  });

  it('writes no referrers tag when the source has no referrers', async () => {
    const image = await pushRandomImage(registry, 'src/bare:1', { layers: 1, layerSize: 512 });

    await copyImage(`${proxyHost}/src/bare:1`, `${registry.host}/dst/bare:1`, {
      keychain: anonymousKeychain,
      plainHttp: [proxyHost, registry.host],
      signatures: true,
    });

    expect(await readIndex('dst/bare', image.digest.replace(':', '-'))).toBe(404);
  });
});
