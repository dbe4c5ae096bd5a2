import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { planBulkCopies } from '../../src/plan/bulk.js';
import { parseShard, shardOf } from '../../src/plan/shard.js';

describe('shardOf', () => {
  // Pinned: a fleet whose machines run different versions must deal the same way. The shard is
  // the first 6 bytes of SHA-256(repository), big-endian, modulo N; `echo -n docker.io/library/node
  // | sha256sum` starts 20f06c392ecf, and 0x20f06c392ecf mod 10 is 5, mod 1000 is 735.
  it.each([
    ['docker.io/library/node', 4, 3],
    ['docker.io/library/node', 10, 5],
    ['docker.io/library/node', 1000, 735],
    ['docker.io/library/redis', 4, 1],
    ['quay.io/prometheus/node-exporter', 4, 0],
    ['ghcr.io/acme/api', 4, 2],
  ])('%s over %i shards → %i', (repository, count, expected) => {
    expect(shardOf(repository, count)).toBe(expected);
  });

  it('spreads repositories over every shard, roughly evenly', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 4000; i++) counts[shardOf(`docker.io/team/app-${i}`, 8)]!++;

    expect(Math.min(...counts)).toBeGreaterThan(400);
    expect(Math.max(...counts)).toBeLessThan(600);
  });
});

describe('parseShard', () => {
  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    [' 12 / 100 ', { index: 12, count: 100 }],
  ])('%j', (text, expected) => {
    expect(parseShard(text)).toEqual(expected);
  });

  it.each(['4/4', '1/0', '-1/4', '1', 'a/b', '1/4/2', '0/10001', '/4'])('refuses %j', (text) => {
    expect(() => parseShard(text)).toThrowError(ConfigError);
  });
});

describe('planBulkCopies with shards', () => {
  const repositories = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}(\/[a-z]{1,6})?$/), {
    minLength: 1,
    maxLength: 12,
  });
  const tags = fc.array(fc.constantFrom('1', '2', 'latest'), { minLength: 1, maxLength: 3 });

  it('the shards of a list partition it, and each repository sits in one shard', () => {
    fc.assert(
      fc.property(repositories, tags, fc.integer({ min: 1, max: 6 }), (repos, tagList, count) => {
        const entries = repos.flatMap((repo) =>
          tagList.map((tag) => ({
            source: `reg.example/${repo}:${tag}`,
            destination: undefined,
            where: 'x',
          })),
        );
        const options = { to: 'mirror.example/m' };
        const whole = planBulkCopies(entries, options).jobs.map((job) => job.source);

        const shards = Array.from(
          { length: count },
          (_, index) => planBulkCopies(entries, { ...options, shard: { index, count } }).jobs,
        );

        expect(
          shards
            .flat()
            .map((job) => job.source)
            .sort(),
        ).toEqual([...whole].sort());
        for (const [index, jobs] of shards.entries())
          for (const job of jobs)
            for (const [other, otherJobs] of shards.entries())
              if (other !== index) expect(otherJobs.some((o) => o.repository === job.repository)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('maps entries without a destination under --to with the path template, and keeps written ones', () => {
    const plan = planBulkCopies(
      [
        { source: 'nginx:1.25', destination: undefined, where: 'l:1' },
        { source: 'ghcr.io/a/b@sha256:' + 'a'.repeat(64), destination: undefined, where: 'l:2' },
        { source: 'quay.io/x/y:2', destination: 'mirror.example/own/y', where: 'l:3' },
        { source: 'docker.io/library/nginx:1.25', destination: undefined, where: 'l:4' },
      ],
      { to: 'us-docker.pkg.dev/p/r', pathTemplate: '{path}' },
    );

    expect(plan.jobs.map((job) => [job.source, job.destination, job.where])).toEqual([
      ['docker.io/library/nginx:1.25', 'us-docker.pkg.dev/p/r/nginx:1.25', 'l:1'],
      [`ghcr.io/a/b@sha256:${'a'.repeat(64)}`, `us-docker.pkg.dev/p/r/a/b@sha256:${'a'.repeat(64)}`, 'l:2'],
      ['quay.io/x/y:2', 'mirror.example/own/y:2', 'l:3'],
    ]);
    expect(plan.total).toBe(3);
  });

  it('names the entry of a bad reference', () => {
    expect(() =>
      planBulkCopies([{ source: 'nginx:bad!tag', destination: undefined, where: 'l:7' }], { to: 'x.io/m' }),
    ).toThrow(/^l:7: /);
  });
});
