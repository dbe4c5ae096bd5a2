import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import {
  type CopyJob,
  destinationFor,
  parseDestination,
  planCopies,
  planEdits,
  registryPathComponent,
} from '../../src/plan/index.js';
import { parseReference } from '../../src/reference/index.js';
import type { RewriteTarget } from '../../src/scan/types.js';
import { occurrence } from '../rewrite/occurrences.js';

const AR = 'us-docker.pkg.dev/proj/mirror';
const DIGEST = `sha256:${'a'.repeat(64)}`;
const OTHER_DIGEST = `sha256:${'b'.repeat(64)}`;
const NONE: RewriteTarget = { type: 'none', reason: 'inside a heredoc' };

describe('destinationFor', () => {
  it.each([
    ['redis:7', `${AR}/docker.io/library/redis`],
    ['quay.io/x/redis:7', `${AR}/quay.io/x/redis`],
    ['ghcr.io/org/team/app@' + DIGEST, `${AR}/ghcr.io/org/team/app`],
    ['localhost:5000/team/app', `${AR}/localhost-5000/team/app`],
    ['Registry.Example.COM:443/a', `${AR}/registry.example.com-443/a`],
    ['[::1]:5000/a', `${AR}/1-5000/a`],
  ])('%s → %s with the default layout', (source, expected) => {
    expect(destinationFor(parseReference(source), { destination: AR })).toBe(expected);
  });

  it.each([
    ['{name}', 'redis:7', '127.0.0.1:5000/m/redis'],
    ['{registry}/{path}', 'redis:7', '127.0.0.1:5000/m/docker.io/redis'],
    ['{registry}/{path}', 'bitnami/redis:7', '127.0.0.1:5000/m/docker.io/bitnami/redis'],
    ['mirror/{namespace}/{name}', 'localhost:5000/app', '127.0.0.1:5000/m/mirror/app'],
    ['mirror/{namespace}/{name}', 'quay.io/a/b/c', '127.0.0.1:5000/m/mirror/a/b/c'],
  ])('template %s maps %s to %s', (pathTemplate, source, expected) => {
    expect(destinationFor(parseReference(source), { destination: '127.0.0.1:5000/m', pathTemplate })).toBe(
      expected,
    );
  });

  it('accepts a bare registry host as destination', () => {
    expect(destinationFor(parseReference('redis'), { destination: 'localhost:5000/' })).toBe(
      'localhost:5000/docker.io/library/redis',
    );
  });

  it.each([
    [
      '{registry}/{tag}',
      'path-template "{registry}/{tag}" is invalid: unknown variable {tag} (known: {registry}, {repository}, {path}, {namespace}, {name})',
    ],
    [
      'Mirror/{name}',
      'path-template "Mirror/{name}" is invalid: outside variables only lowercase letters, digits, ".", "_", "-" and "/" are allowed',
    ],
    ['{registry}', 'path-template "{registry}" is invalid: it must contain {repository}, {path} or {name}'],
    [
      'x..y/{name}',
      'path-template "x..y/{name}" maps docker.io/library/redis to "us-docker.pkg.dev/proj/mirror/x..y/redis", which is not a valid repository: repository "proj/mirror/x..y/redis" must be lowercase letters, digits and separators (. _ __ -) joined by /',
    ],
  ])('rejects template %s', (pathTemplate, message) => {
    const act = () => destinationFor(parseReference('redis'), { destination: AR, pathTemplate });

    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
  });

  it('rejects a result longer than the grammar allows', () => {
    const long = `quay.io/${'a'.repeat(120)}/${'b'.repeat(120)}`;

    expect(() => destinationFor(parseReference(long), { destination: AR })).toThrow(
      /which is not a valid repository: repository path is longer than 255 characters/,
    );
  });

  it.each(['mirror/images', 'https://us-docker.pkg.dev/p/r', 'us-docker.pkg.dev/Proj/r', ''])(
    'rejects destination %j',
    (destination) => {
      expect(() => parseDestination(destination)).toThrow(ConfigError);
      expect(() => parseDestination(destination)).toThrow(/^destination ".*" is not a registry prefix/);
    },
  );

  it('maps ports to path components that are valid and lowercase', () => {
    expect(registryPathComponent('LOCALHOST:5000')).toBe('localhost-5000');
    expect(registryPathComponent('docker.io')).toBe('docker.io');
  });
});

describe('planCopies', () => {
  it('makes one job per unique source, keeping every occurrence', () => {
    const a = occurrence('k8s/a.yaml', 'redis:7');
    const b = occurrence('Dockerfile', 'docker.io/library/redis:7', undefined, 'dockerfile-from');
    const c = occurrence('k8s/a.yaml', 'redis:8');

    const plan = planCopies([a, b, c], { destination: AR });

    expect(plan).toEqual({
      jobs: [
        {
          source: 'docker.io/library/redis:7',
          destination: `${AR}/docker.io/library/redis:7`,
          occurrences: [a, b],
        },
        {
          source: 'docker.io/library/redis:8',
          destination: `${AR}/docker.io/library/redis:8`,
          occurrences: [c],
        },
      ],
      skipped: [],
      notRewritable: [],
    });
  });

  it('copies digest-only sources by digest and tagged+pinned sources by tag', () => {
    const pinned = occurrence('a.yaml', `nginx@${DIGEST}`);
    const both = occurrence('a.yaml', `nginx:1.27@${DIGEST}`);

    const plan = planCopies([pinned, both], { destination: AR });

    expect(plan.jobs).toEqual([
      {
        source: `docker.io/library/nginx@${DIGEST}`,
        destination: `${AR}/docker.io/library/nginx@${DIGEST}`,
        occurrences: [pinned],
      },
      {
        source: `docker.io/library/nginx:1.27@${DIGEST}`,
        destination: `${AR}/docker.io/library/nginx:1.27`,
        occurrences: [both],
      },
    ]);
  });

  it('skips first-party, mirrored, ignored and not-allowed images with reasons', () => {
    const ar = occurrence('a.yaml', 'europe-docker.pkg.dev/p/r/app:1');
    const mirrored = occurrence('a.yaml', '127.0.0.1:5000/mirror/docker.io/library/redis:7');
    const corp = occurrence('a.yaml', 'registry.corp.example/app:1');
    const busybox = occurrence('a.yaml', 'busybox:1.36');
    const quay = occurrence('a.yaml', 'quay.io/x/y:1');
    const ghcr = occurrence('a.yaml', 'ghcr.io/x/y:1');

    const plan = planCopies([ar, mirrored, corp, busybox, quay, ghcr], {
      destination: '127.0.0.1:5000/mirror',
      firstParty: ['registry.corp.example'],
      ignore: ['docker.io/library/busybox*'],
      allowRegistries: ['ghcr.io', 'docker.io'],
    });

    expect(plan).toEqual({
      jobs: [
        { source: 'ghcr.io/x/y:1', destination: '127.0.0.1:5000/mirror/ghcr.io/x/y:1', occurrences: [ghcr] },
      ],
      skipped: [
        { occurrence: ar, reason: 'first-party', detail: 'europe-docker.pkg.dev/p/r/app is first-party' },
        {
          occurrence: mirrored,
          reason: 'first-party',
          detail: '127.0.0.1:5000/mirror/docker.io/library/redis is first-party',
        },
        { occurrence: corp, reason: 'first-party', detail: 'registry.corp.example/app is first-party' },
        {
          occurrence: busybox,
          reason: 'ignored',
          detail: 'docker.io/library/busybox:1.36 matches ignore-images',
        },
        { occurrence: quay, reason: 'not-allowed', detail: 'quay.io is not in allow-registries' },
      ],
      notRewritable: [],
    });
  });

  it('keeps other repositories of the destination host third-party', () => {
    const other = occurrence('a.yaml', '127.0.0.1:5000/elsewhere/app:1');

    expect(planCopies([other], { destination: '127.0.0.1:5000/mirror' }).jobs).toHaveLength(1);
  });

  it('refuses both sides of a destination collision, whatever the order', () => {
    const hub = occurrence('a.yaml', 'redis:7');
    const quay = occurrence('b.yaml', 'quay.io/x/redis:7');
    const nginx = occurrence('b.yaml', 'nginx:1');
    const settings = { destination: AR, pathTemplate: '{name}' };
    const detail = `docker.io/library/redis and quay.io/x/redis would both be mirrored to ${AR}/redis`;

    const plan = planCopies([hub, quay, nginx], settings);
    const reversed = planCopies([quay, hub, nginx], settings);

    expect(plan).toEqual({
      jobs: [{ source: 'docker.io/library/nginx:1', destination: `${AR}/nginx:1`, occurrences: [nginx] }],
      skipped: [
        { occurrence: hub, reason: 'destination-collision', detail },
        { occurrence: quay, reason: 'destination-collision', detail },
      ],
      notRewritable: [],
    });
    expect(reversed.jobs).toEqual(plan.jobs);
  });

  it('detects a port mapping that collides with a real host name', () => {
    const port = occurrence('a.yaml', 'reg.example:5000/app:1');
    const host = occurrence('a.yaml', 'reg.example-5000/app:1');

    const plan = planCopies([port, host], { destination: AR });

    expect(plan.jobs).toEqual([]);
    expect(plan.skipped.map((s) => s.reason)).toEqual(['destination-collision', 'destination-collision']);
  });

  it('skips an image whose destination would be invalid', () => {
    const long = occurrence('a.yaml', `quay.io/${'a'.repeat(120)}/${'b'.repeat(120)}:1`);

    const plan = planCopies([long], { destination: AR });

    expect(plan.jobs).toEqual([]);
    expect(plan.skipped).toEqual([
      {
        occurrence: long,
        reason: 'invalid-destination',
        detail: expect.stringMatching(
          /^path-template "\{registry\}\/\{repository\}" maps quay.io\/a+\/b+ to/,
        ),
      },
    ]);
  });

  it('copies occurrences that cannot be rewritten and reports them', () => {
    const none = occurrence('Dockerfile', 'alpine:3', NONE, 'dockerfile-from');
    const variable = occurrence('Dockerfile', 'alpine:3', {
      type: 'scalar',
      scalar: { start: 5, end: 15, style: 'dockerfile', value: '$BASE:3' },
      prefix: '',
    });

    const plan = planCopies([none, variable], { destination: AR });

    expect(plan).toEqual({
      jobs: [
        {
          source: 'docker.io/library/alpine:3',
          destination: `${AR}/docker.io/library/alpine:3`,
          occurrences: [none, variable],
        },
      ],
      skipped: [],
      notRewritable: [
        { occurrence: none, reason: 'not-rewritable', detail: 'inside a heredoc' },
        {
          occurrence: variable,
          reason: 'not-rewritable',
          detail:
            'the reference is built from variables or other text ("$BASE:3"), which a rewrite would drop',
        },
      ],
    });
  });

  it('rejects an invalid destination or template before planning anything', () => {
    expect(() => planCopies([], { destination: 'nohost' })).toThrow(ConfigError);
    expect(() => planCopies([], { destination: AR, pathTemplate: '{nope}' })).toThrow(ConfigError);
  });
});

describe('planEdits', () => {
  const mirror = '127.0.0.1:5000/m';
  const dest = (repository: string, tag: string | undefined, digest: string | undefined) => ({
    registry: '127.0.0.1:5000',
    repository,
    tag,
    digest,
  });

  function jobsFor(...refs: ReturnType<typeof occurrence>[]): CopyJob[] {
    return planCopies(refs, { destination: mirror }).jobs;
  }

  it('pins tag and digest by default, grouped by file in path order', () => {
    const b = occurrence('b.yaml', 'redis:7');
    const a = occurrence('a.yaml', 'redis:7');
    const jobs = jobsFor(b, a);

    const plan = planEdits(jobs, new Map([['docker.io/library/redis:7', { digest: DIGEST }]]));

    const redis = dest('m/docker.io/library/redis', '7', DIGEST);
    expect(plan).toEqual({
      files: [
        { file: 'a.yaml', edits: [{ occurrence: a, destination: redis }] },
        { file: 'b.yaml', edits: [{ occurrence: b, destination: redis }] },
      ],
      skipped: [],
    });
  });

  it('keeps the tag only with pinDigest false, but never drops a digest the source had', () => {
    const tagged = occurrence('a.yaml', 'redis:7');
    const pinned = occurrence('a.yaml', `nginx:1@${DIGEST}`);
    const results = new Map([
      ['docker.io/library/redis:7', { digest: OTHER_DIGEST }],
      [`docker.io/library/nginx:1@${DIGEST}`, { digest: DIGEST }],
    ]);

    const plan = planEdits(jobsFor(tagged, pinned), results, { pinDigest: false });

    expect(plan.files).toEqual([
      {
        file: 'a.yaml',
        edits: [
          { occurrence: tagged, destination: dest('m/docker.io/library/redis', '7', undefined) },
          { occurrence: pinned, destination: dest('m/docker.io/library/nginx', '1', DIGEST) },
        ],
      },
    ]);
  });

  it('writes digest-only sources as digest-only references', () => {
    const pinned = occurrence('a.yaml', `quay.io/x/y@${DIGEST}`);

    const plan = planEdits(jobsFor(pinned), new Map([[`quay.io/x/y@${DIGEST}`, { digest: DIGEST }]]));

    expect(plan.files).toEqual([
      {
        file: 'a.yaml',
        edits: [{ occurrence: pinned, destination: dest('m/quay.io/x/y', undefined, DIGEST) }],
      },
    ]);
  });

  it('keeps a variable tag unpinned, with a note, when only the name is rewritten', () => {
    const name: RewriteTarget = {
      type: 'name',
      scalar: { start: 5, end: 9, style: 'dockerfile', value: 'node' },
      variables: ['NODE_VERSION'],
    };
    const variable = occurrence('a.Dockerfile', 'node:20-alpine', name);
    const literal = occurrence('a.Dockerfile', 'node:20-alpine');
    const pinned = occurrence('a.Dockerfile', `node:20@${DIGEST}`, name);
    const results = new Map([
      ['docker.io/library/node:20-alpine', { digest: OTHER_DIGEST }],
      [`docker.io/library/node:20@${DIGEST}`, { digest: DIGEST }],
    ]);

    const plan = planEdits(jobsFor(variable, literal, pinned), results);

    const node = 'm/docker.io/library/node';
    expect(plan).toEqual({
      files: [
        {
          file: 'a.Dockerfile',
          edits: [
            {
              occurrence: variable,
              destination: dest(node, '20-alpine', undefined),
              note: "NODE_VERSION: only the default's tag (20-alpine) was mirrored; other values pull tags the mirror does not have until they are mirrored too; not digest-pinned",
            },
            { occurrence: literal, destination: dest(node, '20-alpine', OTHER_DIGEST) },
            { occurrence: pinned, destination: dest(node, '20', DIGEST) },
          ],
        },
      ],
      skipped: [],
    });
  });

  it('skips jobs that were not copied and copies whose digest changed; unrewritable targets are left to planCopies', () => {
    const lost = occurrence('a.yaml', 'redis:7');
    const changed = occurrence('a.yaml', `nginx@${DIGEST}`);
    const none = occurrence('a.yaml', 'alpine:3', NONE);
    const results = new Map([
      [`docker.io/library/nginx@${DIGEST}`, { digest: OTHER_DIGEST }],
      ['docker.io/library/alpine:3', { digest: DIGEST }],
    ]);

    const plan = planEdits(jobsFor(lost, changed, none), results);

    expect(plan).toEqual({
      files: [],
      skipped: [
        { occurrence: lost, reason: 'not-copied', detail: 'docker.io/library/redis:7 was not copied' },
        {
          occurrence: changed,
          reason: 'digest-mismatch',
          detail: `docker.io/library/nginx@${DIGEST} was copied as ${OTHER_DIGEST}`,
        },
      ],
    });
  });

  it('reports an unrewritable occurrence once: in planCopies, not again in planEdits', () => {
    const none = occurrence('a.yaml', 'alpine:3', NONE);
    const plain = occurrence('a.yaml', 'alpine:3');
    const copies = planCopies([none, plain], { destination: mirror });

    const copied = planEdits(copies.jobs, new Map([['docker.io/library/alpine:3', { digest: DIGEST }]]));
    const lost = planEdits(copies.jobs, new Map());

    expect(copies.notRewritable).toEqual([
      { occurrence: none, reason: 'not-rewritable', detail: 'inside a heredoc' },
    ]);
    expect(copied).toEqual({
      files: [
        {
          file: 'a.yaml',
          edits: [{ occurrence: plain, destination: dest('m/docker.io/library/alpine', '3', DIGEST) }],
        },
      ],
      skipped: [],
    });
    expect(lost.skipped).toEqual([
      { occurrence: plain, reason: 'not-copied', detail: 'docker.io/library/alpine:3 was not copied' },
    ]);
  });

  it('produces plain data that survives JSON', () => {
    const jobs = jobsFor(occurrence('a.yaml', 'redis:7'));
    const plan = planEdits(jobs, new Map([['docker.io/library/redis:7', { digest: DIGEST }]]));

    expect(JSON.parse(JSON.stringify({ jobs, plan }))).toEqual({ jobs, plan });
  });
});
