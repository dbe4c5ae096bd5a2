import diagnostics from 'node:diagnostics_channel';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamLogger } from '../../src/log.js';
import { copyImage } from '../../src/registry/copy.js';
import type { Keychain } from '../../src/registry/credentials/types.js';
import { pushRandomImage } from '../support/images.js';
import { type RegistryMode, startRegistry, type TestRegistry } from '../support/registry.js';

// Each mode gets its own registry (started once for its block). The source is addressed as
// 127.0.0.1:PORT and the destination as localhost:PORT: the same server under two names, so
// blobs are really streamed (no mount) and the TLS modes exercise HTTP/2 uploads.
const modes: RegistryMode[] = ['basic', 'token', 'tls', 'token+tls'];

describe.each(modes)('copy in %s mode', (mode) => {
  let registry: TestRegistry;
  let port: string;
  beforeAll(async () => {
    registry = await startRegistry({ mode });
    port = registry.host.split(':')[1]!;
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const keychain = (password?: string): Keychain => ({
    get: async () =>
      registry.username
        ? { username: registry.username, password: password ?? registry.password! }
        : undefined,
  });
  const plainHttp = () => (mode.includes('tls') ? [] : ['127.0.0.1', 'localhost']);
  // A local TLS registry is not plain HTTP: naming it as an endpoint exempts it from the local-host rule.
  const endpoints = (): Record<string, string> =>
    mode.includes('tls')
      ? {
          [`127.0.0.1:${port}`]: `https://127.0.0.1:${port}`,
          [`localhost:${port}`]: `https://localhost:${port}`,
        }
      : {};

  it('copies an index with the same digest and keeps credentials out of every log line', async () => {
    const image = await pushRandomImage(registry, 'src/app:1', {
      platforms: ['linux/amd64', 'linux/arm64'],
      layers: 2,
      layerSize: 4096,
    });
    const lines: string[] = [];
    const logger = createStreamLogger({ write: (l) => lines.push(l), debug: true });

    // undici reports each new connection here; TLS sockets carry the ALPN protocol they agreed on.
    const protocols: string[] = [];
    const onConnect = (message: unknown) => {
      const { socket } = message as { socket: TLSSocket };
      // The harness's token server speaks HTTP/1.1 only; only the registry's connections count.
      if (String(socket.remotePort) === port) protocols.push(String(socket.alpnProtocol));
    };
    diagnostics.subscribe('undici:client:connected', onConnect);
    const result = await copyImage(`127.0.0.1:${port}/src/app:1`, `localhost:${port}/dst/app:1`, {
      keychain: keychain(),
      plainHttp: plainHttp(),
      endpoints: endpoints(),
      ca: registry.caPem,
      logger,
    }).finally(() => diagnostics.unsubscribe('undici:client:connected', onConnect));

    expect([result.digest, result.verified.destinationDigest, result.blobs]).toEqual([
      image.digest,
      image.digest,
      { copied: image.blobs.length, skipped: 0, mounted: 0 },
    ]);
    const output = lines.join('');
    expect(output).toContain(
      `PUT https://localhost:${port}/v2/dst/app/manifests/1 → 201`.replace(
        'https',
        mode.includes('tls') ? 'https' : 'http',
      ),
    );
    if (registry.password) {
      expect(output).not.toContain(registry.password);
      expect(output).not.toContain(
        Buffer.from(`${registry.username}:${registry.password}`).toString('base64'),
      );
    }
    expect(output).not.toMatch(/Bearer|eyJ/);
    // TLS goes through undici with HTTP/2 on every connection; plain HTTP never reaches undici.
    expect(new Set(protocols)).toEqual(new Set(mode.includes('tls') ? ['h2'] : []));
  });

  it.skipIf(mode === 'tls')(
    'fails with 401 and no secret in the message when the password is wrong',
    async () => {
      await pushRandomImage(registry, 'src/denied:1', { layers: 1, layerSize: 1024 });
      const wrong = 'not-the-password-123';

      const error = await copyImage(`127.0.0.1:${port}/src/denied:1`, `localhost:${port}/dst/denied:1`, {
        keychain: keychain(wrong),
        plainHttp: plainHttp(),
        endpoints: endpoints(),
        ca: registry.caPem,
        retry: { attempts: 1 },
      }).then(
        () => new Error('copy succeeded'),
        (e: unknown) => e as Error,
      );

      expect(error.message).toMatch(/: 401 /);
      expect(error.message).not.toContain(wrong);
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(wrong);
    },
  );
});
