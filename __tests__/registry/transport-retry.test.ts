import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/registry/transport/errors.js';
import { parseRetryAfter, type RetryOptions, withRetry } from '../../src/registry/transport/retry.js';
import { fakeInner, reply } from './transport-fakes.js';

function timing(extra: RetryOptions = {}): RetryOptions & { slept: number[] } {
  const slept: number[] = [];
  return {
    sleep: async (ms) => void slept.push(ms),
    random: () => 0.5,
    now: () => 1_700_000_000_000,
    slept,
    ...extra,
  };
}
const get = { method: 'GET', url: 'https://r.example/v2/a/manifests/1' };

describe('withRetry', () => {
  it('retries 503 with exponential backoff and returns the first success', async () => {
    const inner = fakeInner((_req, i) => (i < 2 ? reply(503) : reply(200, {}, 'ok')));
    const opts = timing();

    const res = await withRetry(inner.roundTrip, opts)(get);

    expect(res.status).toBe(200);
    expect(inner.seen.length).toBe(3);
    expect(opts.slept).toEqual([1000, 2000]);
  });

  it('applies jitter of ±50% around the exponential delay', async () => {
    const inner = fakeInner((_req, i) => (i < 3 ? reply(502) : reply(200)));
    const opts = timing({ random: () => 0 });

    await withRetry(inner.roundTrip, opts)(get);

    expect(opts.slept).toEqual([500, 1000, 2000]);
  });

  it('honours Retry-After in seconds and as an HTTP date, capped at the maximum', async () => {
    const date = new Date(1_700_000_000_000 + 4000).toUTCString();
    const answers = [
      reply(429, { 'retry-after': '7' }),
      reply(429, { 'retry-after': date }),
      reply(503, { 'retry-after': '3600' }),
    ];
    const inner = fakeInner((_req, i) => answers[i] ?? reply(200));
    const opts = timing({ maxDelayMs: 30_000 });

    const res = await withRetry(inner.roundTrip, opts)(get);

    expect(res.status).toBe(200);
    expect(opts.slept).toEqual([7000, 4000, 30_000]);
  });

  it('gives up after the configured number of attempts and returns the last answer', async () => {
    const inner = fakeInner(() => reply(429, { 'retry-after': '1' }));
    const opts = timing({ attempts: 3 });

    const res = await withRetry(inner.roundTrip, opts)(get);

    expect(res.status).toBe(429);
    expect(inner.seen.length).toBe(3);
    expect(opts.slept).toEqual([1000, 1000]);
  });

  it('does not retry statuses that will not change (404, 401, 400)', async () => {
    for (const status of [400, 401, 404]) {
      const inner = fakeInner(() => reply(status));
      const opts = timing();

      const res = await withRetry(inner.roundTrip, opts)(get);

      expect([res.status, inner.seen.length, opts.slept]).toEqual([status, 1, []]);
    }
  });

  it('retries temporary network errors and rethrows permanent ones at once', async () => {
    const reset = new RegistryError({ method: 'GET', url: get.url, reason: 'reset', temporary: true });
    const permanent = new RegistryError({
      method: 'GET',
      url: get.url,
      reason: 'bad cert',
      temporary: false,
    });
    const flaky = fakeInner((_req, i) => (i === 0 ? reset : reply(200)));
    const broken = fakeInner(() => permanent);
    const opts = timing();

    const res = await withRetry(flaky.roundTrip, opts)(get);
    const failure = withRetry(broken.roundTrip, opts)(get);

    expect(res.status).toBe(200);
    await expect(failure).rejects.toBe(permanent);
    expect(broken.seen.length).toBe(1);
    expect(opts.slept).toEqual([1000]);
  });

  it('sends a streaming body once, since it cannot be replayed', async () => {
    const inner = fakeInner(() => reply(503));
    const opts = timing();

    const res = await withRetry(
      inner.roundTrip,
      opts,
    )({ method: 'PUT', url: get.url, body: Readable.from(['x']) });

    expect([res.status, inner.seen.length, opts.slept]).toEqual([503, 1, []]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and dates, and ignores garbage', () => {
    const now = Date.parse('2024-01-01T00:00:00Z');

    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 31 Dec 2023 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
