/**
 * The scheduled refresh in process, against the simulated GitHub (a real git repository) and real
 * registries: one pull request from ar-mirror/refresh with the right diff, nothing on a second run,
 * a human's commit on the branch kept, a merged (or squash-merged) refresh followed by a fresh
 * branch, and a commit pushed after a squash merge kept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_BRANCH } from '../../src/action/refresh-branch.js';
import { isInert } from '../support/hostile-markdown.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';
import { type ActionHarness, startActionHarness } from './harness.js';

const REPO = 'acme/refreshing';
const HOSTILE_FILE = 'k8s/<img src=x>@org-team.yaml';

let h: ActionHarness;
let web: PushedImage;
let api: PushedImage;
let main: Record<string, string>;

/** Pushes the same image upstream and into the mirror, as an earlier ar-mirror run would have. */
async function mirrored(image: string, created: string): Promise<PushedImage> {
  const built = await buildRandomImage({ created, platforms: ['linux/amd64', 'linux/arm64'] });
  await pushBuiltImage(h.destination, `acme-prod/mirror/${h.source.host.replace(':', '-')}/${image}`, built);
  return pushBuiltImage(h.source, image, built);
}

const pod = (images: string[]) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n${images.map((image, i) => `    - name: c${i}\n      image: ${image}\n`).join('')}`;

beforeAll(async () => {
  h = await startActionHarness();
  web = await mirrored('lib/web:1.25', '2024-01-02T03:04:05Z');
  api = await mirrored('lib/api:2', '2024-01-01T00:00:00Z');
  main = {
    Dockerfile: `FROM ${h.mirrored('lib/web')}:1.25@${web.digest} AS base\nRUN make\n`,
    'deploy/pod.yaml': pod([
      `${h.mirrored('lib/web')}:1.25@${web.digest}`,
      `${h.mirrored('lib/api')}:2@${api.digest}`,
    ]),
    [HOSTILE_FILE]: pod([`${h.mirrored('lib/api')}@${api.digest}`]),
    'README.md': '# refreshing\n',
  };
  await h.github.createRepo(REPO, main);
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

const mainHead = () => h.github.branchHead(REPO, 'main');

describe('refresh', () => {
  let moved: PushedImage;

  it('opens exactly one pull request with the moved pins after the upstream tag moves', async () => {
    moved = await pushRandomImage(h.source, 'lib/web:1.25', {
      created: '2024-03-04T05:06:07Z',
      platforms: ['linux/amd64', 'linux/arm64'],
    });

    const { result } = await h.refresh(REPO);

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/web', '1.25')).toBe(moved.digest);
    const commits = await h.github.commits(REPO, REFRESH_BRANCH, await mainHead());
    expect(commits).toHaveLength(1);
    expect(commits[0]!.parents).toEqual([await mainHead()]);
    expect(result.commit?.oid).toBe(commits[0]!.oid);
    expect(await h.github.branchFiles(REPO, REFRESH_BRANCH)).toEqual({
      ...main,
      Dockerfile: main.Dockerfile!.replace(web.digest, moved.digest),
      'deploy/pod.yaml': main['deploy/pod.yaml']!.replace(web.digest, moved.digest),
    });
    const pulls = h.github.pulls(REPO);
    expect(pulls.map((p) => [p.headRef, p.baseRef, p.state, p.author])).toEqual([
      [REFRESH_BRANCH, 'main', 'open', 'github-actions[bot]'],
    ]);
    expect(pulls[0]!.title).toBe('Refresh mirrored web:1.25');
    const body = pulls[0]!.body!;
    expect(body.startsWith('<!-- ar-mirror-refresh -->\n### ar-mirror refresh')).toBe(true);
    expect(body).toContain(
      `| \`${h.source.host}/lib/web\` | \`1.25\` | \`${web.digest.slice(0, 19)}\` (2024-01-02) | \`${moved.digest.slice(0, 19)}\` (2024-03-04) | linux/amd64, linux/arm64 |`,
    );
    // The digest-only reference in a hostile file name is reported, rendered inert.
    expect(body).toContain('**Reported, not moved**');
    expect(body).toContain('pinned by digest alone');
    expect(isInert(body.replace('<!-- ar-mirror-refresh -->', '')), body).toBe(true);
    expect(body).toContain(`- \`${HOSTILE_FILE}:8\``);
    expect(result.pullRequest?.number).toBe(pulls[0]!.number);
  });

  it('does nothing on a second run with nothing new', async () => {
    const branch = await h.github.branchHead(REPO, REFRESH_BRANCH);
    const pull = { ...h.github.pulls(REPO)[0]! };
    const before = h.github.requests.length;

    const { result } = await h.refresh(REPO);

    expect(result.failure).toBeUndefined();
    expect(result.commit).toBeUndefined();
    expect(await h.github.branchHead(REPO, REFRESH_BRANCH)).toBe(branch);
    expect(h.github.pulls(REPO)).toEqual([pull]);
    const writes = h.github.requests
      .slice(before)
      .filter((r) => ['git/create-ref', 'pulls/create', 'pulls/update'].includes(r.operation ?? ''));
    expect(writes).toEqual([]);
  });

  it('keeps a human commit on the refresh branch and adds its own on top', async () => {
    const human = await h.github.pushCommit(REPO, REFRESH_BRANCH, {
      files: { 'NOTES.md': 'checked by a human\n', 'README.md': '# refreshing (reviewed)\n' },
      message: 'Review notes',
    });
    const newest = await pushRandomImage(h.source, 'lib/web:1.25', { created: '2024-04-05T06:07:08Z' });

    const { result } = await h.refresh(REPO);

    expect(result.failure).toBeUndefined();
    const commits = await h.github.commits(REPO, REFRESH_BRANCH, await mainHead());
    expect(commits.map((c) => c.oid).slice(0, 2)).toEqual([result.commit!.oid, human]);
    expect(commits).toHaveLength(3);
    expect(commits[0]!.parents).toEqual([human]);
    const files = await h.github.branchFiles(REPO, REFRESH_BRANCH);
    expect(files['NOTES.md']).toBe('checked by a human\n');
    expect(files['README.md']).toBe('# refreshing (reviewed)\n');
    expect(files.Dockerfile).toBe(main.Dockerfile!.replace(web.digest, newest.digest));
    const pulls = h.github.pulls(REPO);
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.body).toContain(`\`${newest.digest.slice(0, 19)}\` (2024-04-05)`);
  });

  it('starts again from the default branch once the refresh was merged', async () => {
    await h.github.mergeBranch(REPO, REFRESH_BRANCH);
    h.github.closePullRequest(REPO, 1, { merged: true });
    const merged = await h.github.branchFiles(REPO, 'main');
    const latest = await pushRandomImage(h.source, 'lib/web:1.25', { created: '2024-05-06T07:08:09Z' });

    const { result } = await h.refresh(REPO);

    expect(result.failure).toBeUndefined();
    const commits = await h.github.commits(REPO, REFRESH_BRANCH, await mainHead());
    expect(commits).toHaveLength(1);
    expect(commits[0]!.parents).toEqual([await mainHead()]);
    const pinned = merged.Dockerfile!.match(/@(sha256:[0-9a-f]{64})/)![1]!;
    expect((await h.github.branchFiles(REPO, REFRESH_BRANCH)).Dockerfile).toBe(
      merged.Dockerfile!.replace(pinned, latest.digest),
    );
    expect(h.github.pulls(REPO).map((p) => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
  });

  it('only looks up in report mode: nothing copied, committed or opened', async () => {
    const branch = await h.github.branchHead(REPO, REFRESH_BRANCH);
    const mirrorTag = await h.destinationDigest('lib/web', '1.25');
    const upstream = await pushRandomImage(h.source, 'lib/web:1.25');

    const { result } = await h.refresh(REPO, { inputs: { mode: 'report' } });

    expect(result.failure).toBeUndefined();
    expect(result.images.map((i) => [i.mirror.split('/').pop(), i.status, i.newDigest])).toEqual([
      ['web', 'would-move', upstream.digest],
      ['api', 'current', undefined],
    ]);
    expect(await h.destinationDigest('lib/web', '1.25')).toBe(mirrorTag);
    expect(await h.github.branchHead(REPO, REFRESH_BRANCH)).toBe(branch);
    expect(h.github.pulls(REPO)).toHaveLength(2);
    expect(result.summary).toContain(`\`${upstream.digest.slice(0, 19)}\``);
  });
});

describe('a squash-merged refresh', () => {
  /** A repository whose refresh pull request #1 was squash-merged; returns the merged main. */
  async function squashMerged(repo: string, image: string): Promise<Record<string, string>> {
    const first = await mirrored(`${image}:1`, '2024-01-02T03:04:05Z');
    await h.github.createRepo(repo, {
      Dockerfile: `FROM ${h.mirrored(image)}:1@${first.digest}\n`,
      'README.md': '# squash\n',
    });
    await pushRandomImage(h.source, `${image}:1`, { created: '2024-02-03T04:05:06Z' });
    expect((await h.refresh(repo)).result.pullRequest?.number).toBe(1);
    await h.github.mergePullRequest(repo, 1, 'squash');
    return h.github.branchFiles(repo, 'main');
  }

  it('starts again from the default branch: the next pull request holds only the new pin', async () => {
    const repo = 'acme/refresh-squash';
    const merged = await squashMerged(repo, 'lib/sq');
    const squash = (await h.github.commits(repo, 'main'))[0]!;
    const latest = await pushRandomImage(h.source, 'lib/sq:1', { created: '2024-03-04T05:06:07Z' });

    const { result } = await h.refresh(repo);

    expect(result.failure).toBeUndefined();
    expect(squash.parents).toHaveLength(1);
    const commits = await h.github.commits(repo, REFRESH_BRANCH, squash.oid);
    expect(commits.map((c) => [c.oid, c.parents])).toEqual([[result.commit!.oid, [squash.oid]]]);
    const pinned = merged.Dockerfile!.match(/@(sha256:[0-9a-f]{64})/)![1]!;
    expect(await h.github.branchFiles(repo, REFRESH_BRANCH)).toEqual({
      ...merged,
      Dockerfile: merged.Dockerfile!.replace(pinned, latest.digest),
    });
    expect(h.github.pulls(repo).map((p) => [p.number, p.state, p.merged])).toEqual([
      [1, 'closed', true],
      [2, 'open', false],
    ]);
  });

  it('keeps a commit someone pushed to the branch after the merge, and adds its own on top', async () => {
    const repo = 'acme/refresh-squash-kept';
    await squashMerged(repo, 'lib/sq2');
    const human = await h.github.pushCommit(repo, REFRESH_BRANCH, {
      files: { 'NOTES.md': 'after the merge\n' },
      message: 'Follow-up notes',
    });
    await pushRandomImage(h.source, 'lib/sq2:1', { created: '2024-03-04T05:06:07Z' });

    const { result } = await h.refresh(repo);

    expect(result.failure).toBeUndefined();
    const commits = await h.github.commits(repo, REFRESH_BRANCH, await h.github.branchHead(repo, 'main'));
    expect(commits.map((c) => c.oid).slice(0, 2)).toEqual([result.commit!.oid, human]);
    expect((await h.github.branchFiles(repo, REFRESH_BRANCH))['NOTES.md']).toBe('after the merge\n');
  });
});

describe('a symbolic link on the default branch', () => {
  it('is not read through the link: the pin moves in its target, and the link stays a link', async () => {
    const repo = 'acme/refresh-link';
    const cron = await mirrored('lib/cron:5', '2024-01-02T03:04:05Z');
    const manifest = pod([`${h.mirrored('lib/cron')}:5@${cron.digest}`]);
    await h.github.createRepo(repo, { 'k8s/real.yaml': manifest });
    // GitHub's contents API answers a link to a file with the file's content.
    await h.github.pushCommit(repo, 'main', { symlinks: { 'k8s/link.yaml': 'real.yaml' } });
    const moved = await pushRandomImage(h.source, 'lib/cron:5', { created: '2024-02-03T04:05:06Z' });

    const { result } = await h.refresh(repo);

    expect(result.failure).toBeUndefined();
    const files = await h.github.branchFiles(repo, REFRESH_BRANCH);
    expect(files['k8s/real.yaml']).toBe(manifest.replace(cron.digest, moved.digest));
    expect(await h.github.fileMode(repo, REFRESH_BRANCH, 'k8s/link.yaml')).toBe('120000');
    expect(files['k8s/link.yaml']).toBe('real.yaml');
  });
});

describe('a refresh pull request GitHub refuses to open', () => {
  it('keeps the commit that landed, says what failed, and opens the pull request on the next run', async () => {
    const repo = 'acme/refresh-no-pr';
    const job = await mirrored('lib/job:3', '2024-01-02T03:04:05Z');
    await h.github.createRepo(repo, { Dockerfile: `FROM ${h.mirrored('lib/job')}:3@${job.digest}\n` });
    const moved = await pushRandomImage(h.source, 'lib/job:3', { created: '2024-02-03T04:05:06Z' });
    // As with "Allow GitHub Actions to create and approve pull requests" turned off.
    h.github.setToken({ permissions: { pullRequests: 'read' } });

    const refused = await h
      .refresh(repo)
      .finally(() => h.github.setToken({ permissions: { pullRequests: 'write' } }));
    const next = await h.refresh(repo);
    const third = await h.refresh(repo);

    const commits = await h.github.commits(repo, REFRESH_BRANCH, await h.github.branchHead(repo, 'main'));
    expect(commits.map((c) => c.oid)).toEqual([refused.result.commit?.oid]);
    expect(refused.result.failure).toMatch(/could not open or update the refresh pull request: .*403/);
    expect(refused.result.failure).not.toMatch(/nothing was committed/);
    expect(refused.result.pullRequest).toBeUndefined();
    expect(next.result.failure).toBeUndefined();
    expect(next.result.commit).toBeUndefined();
    expect(h.github.pulls(repo).map((p) => [p.headRef, p.state])).toEqual([[REFRESH_BRANCH, 'open']]);
    expect(next.result.pullRequest?.number).toBe(h.github.pulls(repo)[0]!.number);
    expect(h.github.pulls(repo)[0]!.body).toContain(`\`${moved.digest.slice(0, 19)}\``);
    expect(third.result.pullRequest?.number).toBe(h.github.pulls(repo)[0]!.number);
    expect(h.github.pulls(repo)).toHaveLength(1);
  });

  it('does not reopen a refresh pull request someone closed while the branch holds no new commit', async () => {
    const repo = 'acme/refresh-closed';
    const job = await mirrored('lib/job2:3', '2024-01-02T03:04:05Z');
    await h.github.createRepo(repo, { Dockerfile: `FROM ${h.mirrored('lib/job2')}:3@${job.digest}\n` });
    await pushRandomImage(h.source, 'lib/job2:3', { created: '2024-02-03T04:05:06Z' });
    await h.refresh(repo);
    h.github.closePullRequest(repo, h.github.pulls(repo)[0]!.number);

    const { result } = await h.refresh(repo);

    expect(result.failure).toBeUndefined();
    expect(result.pullRequest).toBeUndefined();
    expect(h.github.pulls(repo).map((p) => p.state)).toEqual(['closed']);
  });
});
