/**
 * The pull-request side of the lifecycle, in process against the simulated GitHub and real
 * registries: back-fill of mirror references an upgrade bot or a developer changed, and the sticky
 * comment as the pull request's record across runs (rows kept, removed ones marked, workflow
 * refusals remembered).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/github/comment-state.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';
import { type ActionHarness, DEST, startActionHarness } from './harness.js';

const REPO = 'acme/lifecycle';

let h: ActionHarness;
let hostPath: string;
let v1: PushedImage;
let v2: PushedImage;
let prCount = 0;

beforeAll(async () => {
  h = await startActionHarness();
  hostPath = h.source.host.replace(':', '-');
  // lib/bump:1 was mirrored long ago (same bytes in both registries); upstream has since published 2.
  const one = await buildRandomImage({ platforms: ['linux/amd64', 'linux/arm64'] });
  v1 = await pushBuiltImage(h.source, 'lib/bump:1', one);
  await pushBuiltImage(h.destination, `acme-prod/mirror/${hostPath}/lib/bump:1`, one);
  v2 = await pushRandomImage(h.source, 'lib/bump:2', { platforms: ['linux/amd64', 'linux/arm64'] });
  await h.github.createRepo(REPO, {
    Dockerfile: `FROM ${h.mirrored('lib/bump')}:1@${v1.digest}\nRUN make\n`,
    'README.md': '# lifecycle\n',
  });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

async function newPullRequest(files: Record<string, string>) {
  prCount++;
  const head = `bump-${prCount}`;
  const pr = await h.github.createPullRequest({ repo: REPO, head, files });
  return { ...pr, head };
}

function stickyComment(number: number) {
  return h.github.comments(REPO, number).find((c) => c.login === 'github-actions[bot]');
}

describe('back-fill', () => {
  it('copies a bumped mirror tag from its source and pins the digest (a Dependabot-style PR)', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${h.mirrored('lib/bump')}:2\nRUN make\n` });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/bump', '2')).toBe(v2.digest);
    const commits = await h.github.commits(REPO, pr.head, pr.headSha);
    expect(commits).toHaveLength(1);
    expect((await h.github.branchFiles(REPO, pr.head)).Dockerfile).toBe(
      `FROM ${h.mirrored('lib/bump')}:2@${v2.digest}\nRUN make\n`,
    );
    expect(result.annotations).toEqual([
      expect.objectContaining({
        level: 'notice',
        title: 'Back-filled',
        file: 'Dockerfile',
        startLine: 1,
        message: `${h.mirrored('lib/bump')}:2 was not in the mirror: ar-mirror copied ${h.source.host}/lib/bump:2 there (${v2.digest}) and committed the rewrite of this line in ${commits[0]!.oid.slice(0, 7)}.`,
      }),
    ]);
    const record = decodeRecord(stickyComment(pr.number)?.body);
    expect(record.rows).toEqual([
      expect.objectContaining({
        source: `${h.source.host}/lib/bump:2`,
        destination: `${h.mirrored('lib/bump')}:2`,
        digest: v2.digest,
        status: 'back-filled, pinned',
        commit: { oid: commits[0]!.oid, url: expect.stringContaining(commits[0]!.oid) },
      }),
    ]);
    // The `mirrored` output lists every image the run copied, back-fills included.
    expect(result.mirrored).toEqual([
      {
        source: `${h.source.host}/lib/bump:2`,
        destination: `${h.mirrored('lib/bump')}:2`,
        digest: v2.digest,
        platforms: ['linux/amd64', 'linux/arm64'],
        bytes: expect.any(Number),
        status: 'rewritten',
        backfill: true,
      },
    ]);
  });

  it('copies exactly the pinned digest of a Renovate-style PR (tag and digest changed) and writes nothing', async () => {
    // Renovate pinned 4's digest; upstream has since moved tag 4 to another build.
    const pinned = await pushRandomImage(h.source, 'lib/bump:4');
    const moved = await pushRandomImage(h.source, 'lib/bump:4');
    const pr = await newPullRequest({
      Dockerfile: `FROM ${h.mirrored('lib/bump')}:4@${pinned.digest}\nRUN make\n`,
    });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    expect(moved.digest).not.toBe(pinned.digest);
    expect(await h.destinationDigest('lib/bump', '4')).toBe(pinned.digest);
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.annotations.map((a) => [a.title, a.message])).toEqual([
      [
        'Back-filled',
        `${h.mirrored('lib/bump')}:4@${pinned.digest} was not in the mirror: ar-mirror copied ${h.source.host}/lib/bump:4@${pinned.digest} there (${pinned.digest}).`,
      ],
    ]);
  });

  it('finds a Renovate-style reference whose digest the mirror already holds: nothing to do', async () => {
    const pr = await newPullRequest({
      Dockerfile: `FROM ${h.mirrored('lib/bump')}:3@${v2.digest}\nRUN make\n`,
    });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.annotations).toEqual([]);
    expect(await h.destinationDigest('lib/bump', '3')).toBeUndefined();
  });

  it('leaves a mirror reference that resolves alone, and reports unmappable or uncopyable ones on their line', async () => {
    const pr = await newPullRequest({
      'deploy/pod.yaml': [
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: p',
        'spec:',
        '  containers:',
        `    - name: ok\n      image: ${h.mirrored('lib/bump')}:1`,
        `    - name: nowhere\n      image: ${DEST}/nothing-here:1`,
        `    - name: ghost\n      image: ${h.mirrored('lib/ghost')}:1`,
        '',
      ].join('\n'),
    });

    const { result } = await h.run(REPO, pr.number);

    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.annotations.map((a) => [a.level, a.title, a.startLine])).toEqual([
      ['error', 'Not in the mirror', 12],
      ['error', 'Not in the mirror', 10],
    ]);
    expect(result.annotations[1]!.message).toBe(
      `${DEST}/nothing-here:1: it is not in the mirror, and path-template "{registry}/{repository}" maps no source image to ${DEST}/nothing-here. A deployment would fail to pull it.`,
    );
    expect(result.annotations[0]!.message).toMatch(
      new RegExp(
        `^${h.mirrored('lib/ghost')}:1 is not in the mirror and could not be copied from ${h.source.host}/lib/ghost:1: `,
      ),
    );
    expect(result.failure).toMatch(/^ar-mirror found 2 error\(s\): /);
  });
});

describe('the comment as the record of the pull request', () => {
  const pod = (image: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;

  it('keeps the first run’s rows and commit link after the third run, and marks removed references', async () => {
    const src = h.source.host;
    const [a, b] = await Promise.all([
      pushRandomImage(h.source, 'lib/rec-a:1'),
      pushRandomImage(h.source, 'lib/rec-b:1'),
    ]);
    const pr = await newPullRequest({ 'deploy/a.yaml': pod(`${src}/lib/rec-a:1`) });

    const first = await h.run(REPO, pr.number);
    await h.github.pushCommit(REPO, pr.head, { files: { 'deploy/b.yaml': pod(`${src}/lib/rec-b:1`) } });
    const second = await h.run(REPO, pr.number);
    await h.github.pushCommit(REPO, pr.head, { deletions: ['deploy/b.yaml'] });
    const third = await h.run(REPO, pr.number);

    expect(first.result.commit).toBeDefined();
    expect(second.result.commit).toBeDefined();
    expect(third.result.commit).toBeUndefined();
    const body = stickyComment(pr.number)!.body;
    expect(decodeRecord(body).rows).toEqual([
      expect.objectContaining({
        source: `${src}/lib/rec-a:1`,
        digest: a.digest,
        commit: { oid: first.result.commit!.oid, url: first.result.commit!.url },
      }),
      expect.objectContaining({
        source: `${src}/lib/rec-b:1`,
        digest: b.digest,
        commit: { oid: second.result.commit!.oid, url: second.result.commit!.url },
        removed: true,
      }),
    ]);
    expect(decodeRecord(body).rows[0]!.removed).toBeUndefined();
    expect(body).toContain(`| [\`${first.result.commit!.oid.slice(0, 7)}\`](${first.result.commit!.url}) |`);
    expect(body).toContain('copied, committed; no longer referenced by the pull request |');
    expect(h.github.comments(REPO, pr.number)).toHaveLength(1);
  });

  it('reads no record from a comment someone else wrote, and drops invalid rows from its own', async () => {
    const src = h.source.host;
    await pushRandomImage(h.source, 'lib/rec-c:1');
    const pr = await newPullRequest({ 'deploy/c.yaml': pod(`${src}/lib/rec-c:1`) });
    const planted = (rows: object[]) =>
      `<!-- ar-mirror -->\n<!-- ar-mirror-state ${Buffer.from(JSON.stringify({ v: 1, rows, refusedWorkflowFiles: ['.github/workflows/x.yml'] })).toString('base64')} -->`;
    const fake = { source: 'docker.io/library/fake:1', destination: '', platforms: [], status: 'copied' };
    h.github.addComment(REPO, pr.number, 'mallory', planted([fake]));

    await h.run(REPO, pr.number, { inputs: { mode: 'copy' } });
    const own = stickyComment(pr.number)!;
    expect(decodeRecord(own.body).rows.map((r) => r.source)).toEqual([`${src}/lib/rec-c:1`]);
    expect(decodeRecord(own.body).refusedWorkflowFiles).toEqual([]);

    // An admin edits the bot's comment: the hostile rows are dropped, the valid one stays.
    const hostile = [
      { ...fake, source: '@org/team' },
      { ...fake, commit: { oid: 'a'.repeat(40), url: 'javascript:alert(1)' } },
      { ...fake, status: '<img src=x>' },
      { ...fake, source: 'docker.io/library/kept:1' },
    ];
    own.body = planted(hostile);
    await h.run(REPO, pr.number, { inputs: { mode: 'copy' } });

    const rows = decodeRecord(stickyComment(pr.number)!.body).rows.map((r) => r.source);
    expect(rows).toEqual(['docker.io/library/kept:1', `${src}/lib/rec-c:1`]);
  });

  it('remembers a refused workflow commit: the next run suggests straight away and repeats nothing', async () => {
    const src = h.source.host;
    await pushRandomImage(h.source, 'lib/rec-ci:7');
    const workflow = `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: ${src}/lib/rec-ci:7\n    steps:\n      - run: make test\n`;
    const pr = await newPullRequest({ '.github/workflows/ci.yml': workflow });

    await h.run(REPO, pr.number);
    await h.github.pushCommit(REPO, pr.head, { files: { 'NOTES.md': 'later push\n' } });
    const before = h.github.requests.length;
    const again = await h.run(REPO, pr.number);

    const during = h.github.requests.slice(before);
    // One GraphQL request (the token's login); no createCommitOnBranch was tried.
    expect(during.filter((r) => r.operation === 'graphql')).toHaveLength(1);
    expect(h.github.reviews(REPO, pr.number)).toHaveLength(1);
    expect(again.result.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        /and suggested the rewrite of this line in a review because GitHub refused this workflow file on an earlier run \(the token needs the workflows permission\)\.$/,
      ),
    ]);
    expect(decodeRecord(stickyComment(pr.number)!.body).refusedWorkflowFiles).toEqual([
      '.github/workflows/ci.yml',
    ]);
  });
});
