import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { checkResponse, RegistryError, redactUrl } from '../../src/registry/transport/errors.js';
import { parseRateLimit, withLogging } from '../../src/registry/transport/log.js';
import { fakeInner, reply } from './transport-fakes.js';

describe('RegistryError and checkResponse', () => {
  it('names method, redacted URL, status and spec codes', async () => {
    const req = {
      method: 'PUT',
      url: 'https://u:secret@r.example/v2/a/blobs/uploads/1?_state=HMAC&digest=sha256:ab',
    };
    const body = JSON.stringify({
      errors: [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }],
    });

    const err = await checkResponse(req, { ...reply(400, {}, body), url: req.url }, 201).catch(
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(RegistryError);
    const e = err as RegistryError;
    expect(e.message).toBe(
      'PUT https://r.example/v2/a/blobs/uploads/1?_state=REDACTED&digest=sha256%3Aab: 400 DIGEST_INVALID (provided digest did not match uploaded content)',
    );
    expect([e.status, e.errors, e.temporary]).toEqual([
      400,
      [{ code: 'DIGEST_INVALID', message: 'provided digest did not match uploaded content' }],
      false,
    ]);
  });

  it('marks 429/5xx and TOOMANYREQUESTS temporary, and falls back to the status text without a spec body', async () => {
    const req = { method: 'GET', url: 'https://r.example/v2/' };

    const e503 = (await checkResponse(
      req,
      { ...reply(503, {}, '<html>down</html>'), url: req.url },
      200,
    ).catch((e: unknown) => e)) as RegistryError;
    const e403 = new RegistryError({
      method: 'GET',
      url: req.url,
      status: 403,
      errors: [{ code: 'TOOMANYREQUESTS' }],
    });

    expect([e503.message, e503.temporary]).toEqual([
      'GET https://r.example/v2/: 503 Service Unavailable',
      true,
    ]);
    expect(e403.temporary).toBe(true);
  });

  it('reads at most 64 KiB of an error body', async () => {
    const huge = `{"errors":[{"code":"X","message":"${'a'.repeat(200_000)}"}]}`;
    const req = { method: 'GET', url: 'https://r.example/v2/' };

    const e = (await checkResponse(req, { ...reply(500, {}, huge), url: req.url }).catch(
      (x: unknown) => x,
    )) as RegistryError;

    // The truncated JSON no longer parses, so no codes are claimed from it.
    expect([e.errors, e.message]).toEqual([[], 'GET https://r.example/v2/: 500 Internal Server Error']);
  });

  it('redacts unknown query values and userinfo, keeps digest/mount/from', () => {
    expect(redactUrl('https://a:b@h/v2/x/blobs/uploads/?mount=sha256:1&from=y&X-Amz-Signature=s')).toBe(
      'https://h/v2/x/blobs/uploads/?mount=sha256%3A1&from=y&X-Amz-Signature=REDACTED',
    );
  });
});

describe('withLogging', () => {
  it('parses Docker Hub rate-limit headers', () => {
    expect(parseRateLimit({ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' })).toEqual(
      { remaining: 76, limit: 100, windowSeconds: 21600 },
    );
    expect(parseRateLimit({})).toBeUndefined();
  });

  it('reports the remaining pulls when they change, as a warning when few are left, and debug request lines', async () => {
    const answers = [
      reply(200, { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' }),
      reply(200, { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '76;w=21600' }),
      reply(200, { 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '3;w=21600' }),
    ];
    const inner = fakeInner((_r, i) => answers[i] ?? reply(200));
    const lines: string[] = [];
    const logger = {
      ...silentLogger,
      isDebug: true,
      info: (m: string) => lines.push(`info ${m}`),
      warning: (m: string) => lines.push(`warn ${m}`),
      debug: (m: string) => lines.push(`debug ${m.replace(/\(\d+ ms\)/, '(N ms)')}`),
    };
    const rt = withLogging(inner.roundTrip, logger, 'registry-1.docker.io');

    for (let i = 0; i < 3; i++)
      await rt({ method: 'GET', url: 'https://registry-1.docker.io/v2/library/a/manifests/1?x=tok' });

    expect(lines).toEqual([
      'debug GET https://registry-1.docker.io/v2/library/a/manifests/1?x=REDACTED → 200 (N ms)',
      'info Docker Hub pull limit: 76 of 100 pulls left per 6 h',
      'debug GET https://registry-1.docker.io/v2/library/a/manifests/1?x=REDACTED → 200 (N ms)',
      'debug GET https://registry-1.docker.io/v2/library/a/manifests/1?x=REDACTED → 200 (N ms)',
      'warn Docker Hub pull limit: 3 of 100 pulls left per 6 h',
    ]);
  });

  it('warns once however the quota moves, and reads the headers from Docker Hub only', async () => {
    let n = 0;
    const inner = fakeInner(() =>
      reply(200, { 'ratelimit-limit': '100', 'ratelimit-remaining': String(1 + (n++ % 2)) }),
    );
    const lines: string[] = [];
    const logger = {
      ...silentLogger,
      info: (m: string) => lines.push(`info ${m}`),
      warning: (m: string) => lines.push(`warn ${m}`),
    };
    const hub = withLogging(inner.roundTrip, logger, 'registry-1.docker.io');
    const other = withLogging(inner.roundTrip, logger, 'evil.example');

    for (let i = 0; i < 4; i++)
      await hub({ method: 'GET', url: 'https://registry-1.docker.io/v2/library/a/manifests/1' });
    for (let i = 0; i < 4; i++) await other({ method: 'GET', url: 'https://evil.example/v2/a/manifests/1' });

    expect(lines).toEqual([
      'warn Docker Hub pull limit: 1 of 100 pulls left',
      'info Docker Hub pull limit: 2 of 100 pulls left',
      'info Docker Hub pull limit: 1 of 100 pulls left',
      'info Docker Hub pull limit: 2 of 100 pulls left',
    ]);
  });
});
