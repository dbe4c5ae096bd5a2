/**
 * The shared Google request helper against a real local HTTP server: retries and their delays
 * (recorded through the injected sleep), Retry-After, one token refresh on 401, the body cap,
 * Google error bodies; and the paging bound.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleApiError, parseGoogleErrorBody } from '../../src/cloud/errors.js';
import { createGoogleApi } from '../../src/cloud/http.js';
import { collectPages } from '../../src/cloud/json.js';

type Answer = { status: number; body: string; headers?: Record<string, string> };
let answers: Answer[] = [];
let seen: { auth: string | undefined }[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ auth: req.headers.authorization });
    const answer = answers.shift() ?? { status: 200, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers = [];
  seen = [];
});

const error = (code: number, status: string, extra: object = {}) =>
  JSON.stringify({ error: { code, message: `m ${status}`, status, ...extra } });

function api(options: { maxAttempts?: number; maxBodyBytes?: number } = {}) {
  const delays: number[] = [];
  let tokens = 0;
  const client = createGoogleApi({
    token: { getAccessToken: async (o) => `tok-${++tokens}${o?.refresh ? '-fresh' : ''}` },
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { client, delays };
}

describe('createGoogleApi', () => {
  it('retries 429, 503 and a 403 rate limit with doubling, jittered delays, then returns the answer', async () => {
    answers = [
      { status: 429, body: 'Too Many Requests' },
      { status: 503, body: error(503, 'UNAVAILABLE') },
      { status: 403, body: error(403, 'PERMISSION_DENIED', { errors: [{ reason: 'rateLimitExceeded' }] }) },
      { status: 200, body: '{"ok": true}' },
    ];
    const { client, delays } = api();

    const body = await client.request({ method: 'GET', url });

    expect(body).toEqual({ ok: true });
    expect(delays).toEqual([750, 1500, 3000]);
  });

  it('honours Retry-After, capped', async () => {
    answers = [
      { status: 429, body: error(429, 'RESOURCE_EXHAUSTED'), headers: { 'retry-after': '7' } },
      { status: 429, body: error(429, 'RESOURCE_EXHAUSTED'), headers: { 'retry-after': '9999' } },
    ];
    const { client, delays } = api();

    await client.request({ method: 'GET', url });

    expect(delays).toEqual([7000, 32000]);
  });

  it('gives up after maxAttempts with the typed error of the last answer', async () => {
    answers = Array.from({ length: 3 }, () => ({ status: 500, body: error(500, 'INTERNAL') }));
    const { client, delays } = api({ maxAttempts: 3 });

    const failure = await client.request({ method: 'GET', url }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(GoogleApiError);
    expect((failure as GoogleApiError).httpStatus).toBe(500);
    expect((failure as GoogleApiError).message).toBe(`GET ${url}: HTTP 500 INTERNAL: m INTERNAL`);
    expect(delays).toHaveLength(2);
  });

  it('does not retry a permission error', async () => {
    answers = [{ status: 403, body: error(403, 'PERMISSION_DENIED') }];
    const { client, delays } = api();

    const failure = (await client.request({ method: 'GET', url }).catch((e: unknown) => e)) as GoogleApiError;

    expect([failure.httpStatus, failure.body.status, delays]).toEqual([403, 'PERMISSION_DENIED', []]);
  });

  it('says what the caller needs on a refusal, not on a rate limit answered with 403 nor on other errors', async () => {
    answers = [
      { status: 403, body: error(403, 'PERMISSION_DENIED') },
      { status: 404, body: error(404, 'NOT_FOUND') },
    ];
    const { client } = api({ maxAttempts: 1 });
    const needs = 'x.y.get on project p (roles/x.viewer)';

    const refused = (await client.request({ method: 'GET', url, needs }).catch((e: unknown) => e)) as Error;
    const missing = (await client.request({ method: 'GET', url, needs }).catch((e: unknown) => e)) as Error;
    answers = [
      { status: 403, body: error(403, 'PERMISSION_DENIED', { errors: [{ reason: 'rateLimitExceeded' }] }) },
    ];
    const limited = (await client.request({ method: 'GET', url, needs }).catch((e: unknown) => e)) as Error;

    expect(refused.message).toBe(
      `GET ${url}: HTTP 403 PERMISSION_DENIED: m PERMISSION_DENIED; the caller needs ${needs}`,
    );
    expect(missing.message).toBe(`GET ${url}: HTTP 404 NOT_FOUND: m NOT_FOUND`);
    expect(limited.message).not.toContain('the caller needs');
  });

  it('refreshes the token once after a 401', async () => {
    answers = [
      { status: 401, body: error(401, 'UNAUTHENTICATED') },
      { status: 401, body: error(401, 'UNAUTHENTICATED') },
    ];
    const { client } = api();

    const failure = (await client.request({ method: 'GET', url }).catch((e: unknown) => e)) as GoogleApiError;

    expect(failure.httpStatus).toBe(401);
    expect(seen.map((s) => s.auth)).toEqual(['Bearer tok-1', 'Bearer tok-2-fresh']);
  });

  it('refuses an answer over the size cap, and an answer that is not a JSON object', async () => {
    answers = [
      { status: 200, body: JSON.stringify({ pad: 'x'.repeat(5000) }) },
      { status: 200, body: '[1,2]' },
    ];
    const { client } = api({ maxBodyBytes: 1000 });

    const big = (await client.request({ method: 'GET', url }).catch((e: unknown) => e)) as Error;
    const array = (await client.request({ method: 'GET', url }).catch((e: unknown) => e)) as Error;

    expect(big.message).toContain('the answer is larger than 1000 bytes');
    expect(array.message).toContain('the answer is not a JSON object');
  });
});

describe('parseGoogleErrorBody', () => {
  it('keeps validated fields and escapes the message', () => {
    const body = parseGoogleErrorBody(
      JSON.stringify({
        error: {
          code: 429,
          status: 'RESOURCE_EXHAUSTED',
          message: 'slow \u001b[2J down',
          details: [{ '@type': 'x', reason: 'RATE_LIMIT_EXCEEDED' }, { reason: 'bad reason!' }],
        },
      }),
    );

    expect(body).toEqual({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: 'slow \\x1b[2J down',
      reasons: ['RATE_LIMIT_EXCEEDED'],
    });
    expect(parseGoogleErrorBody('<html>')).toEqual({
      code: undefined,
      status: undefined,
      message: undefined,
      reasons: [],
    });
  });
});

describe('collectPages', () => {
  it('stops at maxPages and reports truncation; stops on a repeated token', async () => {
    let calls = 0;
    const endless = await collectPages(async () => ({ items: [++calls], nextPageToken: `t${calls}` }), {
      maxPages: 5,
      maxItems: 100,
    });
    calls = 0;
    const looping = await collectPages(async () => ({ items: [++calls], nextPageToken: 'same' }), {
      maxPages: 50,
      maxItems: 100,
    });

    expect([endless.items, endless.truncated]).toEqual([[1, 2, 3, 4, 5], true]);
    expect([looping.items, looping.truncated]).toEqual([[1, 2], false]);
  });

  it('keeps at most maxItems', async () => {
    const paged = await collectPages(
      async (t) => ({ items: [1, 2, 3], nextPageToken: t ? undefined : 'a' }),
      { maxPages: 9, maxItems: 4 },
    );

    expect([paged.items, paged.truncated]).toEqual([[1, 2, 3, 1], true]);
  });
});
