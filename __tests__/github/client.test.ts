/**
 * Every GitHubClient method against the simulated GitHub (a real git repository behind a server
 * checked against the published OpenAPI description and GraphQL schema). Over the 500-line guide
 * because it shares one server across all methods; splitting it would start one per file.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { BranchMovedError, GitHubApiError, WorkflowPermissionError } from '../../src/github/errors.js';
import type { GitHubClient } from '../../src/github/types.js';
import type { GitHubServer } from '../support/github-server/index.js';
import { startGitHubServer } from '../support/github-server/index.js';

let gh: GitHubServer;
let client: GitHubClient;
let repoCount = 0;

/** Each test gets its own repository on the shared server. */
function nextRepo(): string {
  repoCount += 1;
  return `octo/app${repoCount}`;
}

beforeAll(async () => {
  gh = await startGitHubServer();
  client = createGitHubClient({
    token: gh.token,
    apiUrl: gh.url,
    graphqlUrl: gh.graphqlUrl,
    retries: 0,
    throttle: false,
  });
});

afterAll(async () => {
  await gh.close();
});

afterEach(() => {
  // Cleared each time so one broken exchange fails only its own test.
  expect(gh.violations.splice(0)).toEqual([]);
  gh.setToken({
    login: 'github-actions[bot]',
    permissions: { contents: 'write', pullRequests: 'write', workflows: false },
  });
});

describe('getPullRequest', () => {
  it('reads the base and head of a same-repository pull request', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { Dockerfile: 'FROM alpine:3.19\n' });
    const pr = await gh.createPullRequest({ repo, head: 'feature', files: { Dockerfile: 'FROM redis:7\n' } });

    const info = await client.getPullRequest(repo, pr.number);

    expect(info).toEqual({
      number: 1,
      state: 'open',
      baseRef: 'main',
      baseSha: pr.baseSha,
      headRef: 'feature',
      headSha: pr.headSha,
      baseRepo: repo,
      headRepo: repo,
      isFork: false,
      changedFiles: 1,
    });
  });

  it('flags a pull request from a fork', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n' });
    const pr = await gh.createPullRequest({
      repo,
      head: 'patch-1',
      headRepo: 'stranger/app',
      files: { 'a.txt': 'b\n' },
    });

    const info = await client.getPullRequest(repo, pr.number);

    expect({ headRepo: info.headRepo, isFork: info.isFork }).toEqual({
      headRepo: 'stranger/app',
      isFork: true,
    });
  });

  it('wraps a missing pull request in a GitHubApiError with the status', async () => {
    const error = await client.getPullRequest('octo/missing', 9).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).status).toBe(404);
    expect((error as GitHubApiError).message).toMatch(/^reading pull request octo\/missing#9: 404 Not Found/);
  });
});

describe('listChangedFiles', () => {
  it('follows every page and reports additions, modifications, deletions and renames', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, {
      'deploy/app.yaml': 'image: nginx:1.25\n',
      'old/Dockerfile': 'FROM node:20\nRUN echo a long enough file to be detected as a rename\n',
      'gone.txt': 'bye\n',
    });
    const added = Object.fromEntries(
      Array.from({ length: 230 }, (_, i) => [`svc/f${String(i).padStart(3, '0')}.txt`, `${i}\n`]),
    );
    const pr = await gh.createPullRequest({
      repo,
      head: 'many',
      files: { ...added, 'deploy/app.yaml': 'image: nginx:1.27\n' },
      deletions: ['gone.txt'],
      renames: { 'old/Dockerfile': 'new/Dockerfile' },
    });
    const before = gh.requests.length;

    const result = await client.listChangedFiles(repo, pr.number);

    expect(result.isTruncated).toBe(false);
    expect(result.files).toHaveLength(233);
    expect(result.files.filter((file) => !file.path.startsWith('svc/'))).toEqual([
      { path: 'deploy/app.yaml', status: 'modified' },
      { path: 'gone.txt', status: 'removed' },
      { path: 'new/Dockerfile', status: 'renamed', previousPath: 'old/Dockerfile' },
    ]);
    expect(result.files.filter((file) => file.path.startsWith('svc/')).map((file) => file.path)).toEqual(
      Object.keys(added),
    );
    const pages = gh.requests.slice(before).map((request) => `${request.operation} ${request.query}`);
    expect(pages).toEqual([
      'pulls/list-files ?per_page=100',
      'pulls/list-files ?per_page=100&page=2',
      'pulls/list-files ?per_page=100&page=3',
    ]);
  });
});

describe("listChangedFiles at GitHub's cap", () => {
  it('reports truncation when the pull request lists 3000 files', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'README.md': 'x\n' });
    const files = Object.fromEntries(
      Array.from({ length: 3005 }, (_, i) => [`f/${String(i).padStart(4, '0')}`, `${i}\n`]),
    );
    const pr = await gh.createPullRequest({ repo, head: 'huge', files });

    const result = await client.listChangedFiles(repo, pr.number);

    expect(result.isTruncated).toBe(true);
    expect(result.files).toHaveLength(3000);
    expect(result.files[2999]).toEqual({ path: 'f/2999', status: 'added' });
  });
});

describe('readFile', () => {
  it('reads a file at the base and at the head commit, and undefined where it is missing', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'k8s/deploy.yaml': 'image: redis:6\n' });
    const pr = await gh.createPullRequest({
      repo,
      head: 'bump',
      files: { 'k8s/deploy.yaml': 'image: redis:7\n', 'k8s/new file.yaml': 'image: "ghcr.io/a/b:1"\n' },
    });

    const atBase = await client.readFile(repo, 'k8s/deploy.yaml', pr.baseSha);
    const atHead = await client.readFile(repo, 'k8s/deploy.yaml', pr.headSha);
    const added = await client.readFile(repo, 'k8s/new file.yaml', pr.headSha);
    const missingAtBase = await client.readFile(repo, 'k8s/new file.yaml', pr.baseSha);
    const directory = await client.readFile(repo, 'k8s', pr.headSha);

    expect([atBase, atHead, added, missingAtBase, directory]).toEqual([
      'image: redis:6\n',
      'image: redis:7\n',
      'image: "ghcr.io/a/b:1"\n',
      undefined,
      undefined,
    ]);
  });

  it('falls back to the blobs API for files above 1 MB, where the contents API sends no content', async () => {
    const repo = nextRepo();
    const big = `${'# padding line for a big manifest\n'.repeat(40_000)}image: busybox:1.36\n`;
    await gh.createRepo(repo, { 'big.yaml': big });
    const before = gh.requests.length;

    const text = await client.readFile(repo, 'big.yaml', 'main');

    expect(text).toBe(big);
    expect(gh.requests.slice(before).map((request) => request.operation)).toEqual([
      'repos/get-content',
      'git/get-blob',
    ]);
  });
});

describe('commitFiles', () => {
  it('lands one commit with exactly the given changes on top of the expected head', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { Dockerfile: 'FROM alpine:3.19\n', 'README.md': 'hi\n' });
    const pr = await gh.createPullRequest({ repo, head: 'feature', files: { Dockerfile: 'FROM redis:7\n' } });
    const before = await gh.branchFiles(repo, 'feature');

    const result = await client.commitFiles({
      repo,
      branch: 'feature',
      expectedHeadOid: pr.headSha,
      headline: 'Mirror third-party images',
      body: 'redis:7 → europe-docker.pkg.dev/p/r/docker.io/library/redis:7@sha256:…',
      changes: [{ path: 'Dockerfile', contents: 'FROM europe-docker.pkg.dev/p/r/redis:7 # ünïcode\n' }],
    });

    const commits = await gh.commits(repo, 'feature', pr.headSha);
    expect(commits).toEqual([
      {
        oid: result.oid,
        parents: [pr.headSha],
        message:
          'Mirror third-party images\n\nredis:7 → europe-docker.pkg.dev/p/r/docker.io/library/redis:7@sha256:…',
        author: {
          name: 'github-actions[bot]',
          email: '41898282+github-actions[bot]@users.noreply.github.com',
        },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
    ]);
    expect(result.url).toBe(`https://github.test/${repo}/commit/${result.oid}`);
    expect(await gh.branchFiles(repo, 'feature')).toEqual({
      ...before,
      Dockerfile: 'FROM europe-docker.pkg.dev/p/r/redis:7 # ünïcode\n',
    });
  });

  it('throws BranchMovedError and leaves the branch alone when someone pushed during the run', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { Dockerfile: 'FROM alpine:3.19\n' });
    const pr = await gh.createPullRequest({ repo, head: 'feature', files: { Dockerfile: 'FROM redis:7\n' } });
    let pushed = '';
    gh.onRequest({
      operation: 'graphql',
      run: async () => {
        pushed = await gh.pushCommit(repo, 'feature', { files: { 'notes.txt': 'pushed meanwhile\n' } });
      },
    });

    const error = await client
      .commitFiles({
        repo,
        branch: 'feature',
        expectedHeadOid: pr.headSha,
        headline: 'x',
        changes: [{ path: 'Dockerfile', contents: 'FROM y\n' }],
      })
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(BranchMovedError);
    expect((error as BranchMovedError).message).toBe(
      `branch "feature" of ${repo} moved: it no longer points at ${pr.headSha.slice(0, 12)}, the commit that was scanned`,
    );
    expect(await gh.branchHead(repo, 'feature')).toBe(pushed);
  });

  it('throws WorkflowPermissionError for workflow files when the token lacks the workflows permission', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { '.github/workflows/ci.yml': 'jobs: {}\n' });
    const pr = await gh.createPullRequest({
      repo,
      head: 'ci',
      files: { '.github/workflows/ci.yml': 'jobs: {a: {}}\n' },
    });

    const error = await client
      .commitFiles({
        repo,
        branch: 'ci',
        expectedHeadOid: pr.headSha,
        headline: 'x',
        changes: [
          { path: 'Dockerfile', contents: 'FROM y\n' },
          { path: '.github/workflows/ci.yml', contents: 'jobs: {}\n' },
        ],
      })
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(WorkflowPermissionError);
    expect((error as WorkflowPermissionError).paths).toEqual(['.github/workflows/ci.yml']);
    expect(await gh.branchHead(repo, 'ci')).toBe(pr.headSha);
  });

  it('commits workflow files when the token has the workflows permission', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { '.github/workflows/ci.yml': 'jobs: {}\n' });
    const pr = await gh.createPullRequest({ repo, head: 'ci', files: { 'a.txt': 'a\n' } });
    gh.setToken({ login: 'release-bot', permissions: { workflows: true } });

    const result = await client.commitFiles({
      repo,
      branch: 'ci',
      expectedHeadOid: pr.headSha,
      headline: 'x',
      changes: [{ path: '.github/workflows/ci.yml', contents: 'jobs: {b: {}}\n' }],
    });

    expect(await gh.branchHead(repo, 'ci')).toBe(result.oid);
  });
});

describe('read-only tokens (fork pull requests)', () => {
  it("surfaces GitHub's refusal of a commit and of a comment as GitHubApiError", async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { 'a.txt': 'b\n' } });
    gh.setToken({ permissions: { contents: 'read', pullRequests: 'read' } });
    const request = {
      repo,
      branch: 'x',
      expectedHeadOid: pr.headSha,
      headline: 'h',
      changes: [{ path: 'a.txt', contents: 'c\n' }],
    };

    const commitError = await client.commitFiles(request).catch((err: unknown) => err);
    const commentError = await client
      .upsertStickyComment(repo, pr.number, '<!-- m -->', 'b')
      .catch((err: unknown) => err);

    expect(commitError).toBeInstanceOf(GitHubApiError);
    expect((commitError as Error).message).toBe(
      `committing to x of ${repo}: Request failed due to following response errors:\n - Resource not accessible by integration`,
    );
    expect(commentError).toBeInstanceOf(GitHubApiError);
    expect((commentError as GitHubApiError).status).toBe(403);
    expect(await gh.branchHead(repo, 'x')).toBe(pr.headSha);
    expect(gh.comments(repo, pr.number)).toEqual([]);
  });
});

describe('viewerLogin', () => {
  it("answers the token's own login through GraphQL", async () => {
    const fresh = createGitHubClient({
      token: gh.token,
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      retries: 0,
      throttle: false,
    });
    gh.setToken({ login: 'mirror-app[bot]' });

    expect(await fresh.viewerLogin()).toBe('mirror-app[bot]');
  });
});

describe('upsertStickyComment', () => {
  it('creates the comment once, then updates it in place, then leaves it unchanged', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { 'a.txt': 'b\n' } });
    gh.addComment(repo, pr.number, 'octocat', 'Looks good');

    const first = await client.upsertStickyComment(repo, pr.number, '<!-- ar-mirror -->', 'one image');
    const second = await client.upsertStickyComment(repo, pr.number, '<!-- ar-mirror -->', 'two images');
    const third = await client.upsertStickyComment(repo, pr.number, '<!-- ar-mirror -->', 'two images');

    expect([first.action, second.action, third.action]).toEqual(['created', 'updated', 'unchanged']);
    expect(second.id).toBe(first.id);
    expect(gh.comments(repo, pr.number).map((c) => ({ login: c.login, body: c.body }))).toEqual([
      { login: 'octocat', body: 'Looks good' },
      { login: 'github-actions[bot]', body: '<!-- ar-mirror -->\ntwo images' },
    ]);
  });

  it('ignores a comment carrying the marker that another user planted', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { 'a.txt': 'b\n' } });
    gh.addComment(repo, pr.number, 'mallory', '<!-- ar-mirror -->\nall images approved');

    const result = await client.upsertStickyComment(repo, pr.number, '<!-- ar-mirror -->', 'real report');

    expect(result.action).toBe('created');
    expect(gh.comments(repo, pr.number).map((c) => ({ login: c.login, body: c.body }))).toEqual([
      { login: 'mallory', body: '<!-- ar-mirror -->\nall images approved' },
      { login: 'github-actions[bot]', body: '<!-- ar-mirror -->\nreal report' },
    ]);
  });

  it('cuts a body longer than GitHub accepts and says so', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { 'a.txt': 'b\n' } });
    const rows = Array.from(
      { length: 2000 },
      (_, i) => `| image-${i} | mirrored | sha256:${'a'.repeat(20)} |`,
    ).join('\n');

    await client.upsertStickyComment(repo, pr.number, '<!-- ar-mirror -->', rows);

    const [comment] = gh.comments(repo, pr.number);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body.startsWith('<!-- ar-mirror -->\n| image-0 |')).toBe(true);
    expect(
      comment!.body.endsWith(
        '|\n\n_The rest of this report was cut to fit GitHub’s comment size limit; see the job summary._',
      ),
    ).toBe(true);
  });
});

describe('createSuggestionReview', () => {
  it('posts suggestions on lines inside the diff and returns the others as skipped', async () => {
    const repo = nextRepo();
    const manifest = Array.from({ length: 30 }, (_, i) =>
      i === 19 ? '        image: nginx:1.25' : `# line ${i + 1}`,
    ).join('\n');
    await gh.createRepo(repo, { 'deploy.yaml': `${manifest}\n`, 'other.yaml': 'image: redis:7\n' });
    const changed = manifest.replace('image: nginx:1.25', 'image: nginx:1.27');
    const pr = await gh.createPullRequest({ repo, head: 'bump', files: { 'deploy.yaml': `${changed}\n` } });
    const inside = {
      path: 'deploy.yaml',
      line: 20,
      replacement: '        image: europe-docker.pkg.dev/p/r/nginx:1.27@sha256:abc',
      message: 'Mirrored.',
    };
    const range = { path: 'deploy.yaml', startLine: 18, line: 21, replacement: 'a\nb' };
    const outsideHunk = { path: 'deploy.yaml', line: 2, replacement: 'x' };
    const unchangedFile = { path: 'other.yaml', line: 1, replacement: 'image: mirror/redis:7' };

    const result = await client.createSuggestionReview(repo, pr.number, pr.headSha, [
      inside,
      range,
      outsideHunk,
      unchangedFile,
    ]);

    expect(result.posted).toEqual([inside, range]);
    expect(result.skipped).toEqual([outsideHunk, unchangedFile]);
    const reviews = gh.reviews(repo, pr.number);
    expect(
      reviews.map((review) => ({
        id: review.id,
        commitId: review.commitId,
        event: review.event,
        comments: review.comments,
      })),
    ).toEqual([
      {
        id: result.reviewId,
        commitId: pr.headSha,
        event: 'COMMENT',
        comments: [
          {
            path: 'deploy.yaml',
            line: 20,
            side: 'RIGHT',
            body: 'Mirrored.\n\n```suggestion\n        image: europe-docker.pkg.dev/p/r/nginx:1.27@sha256:abc\n```',
          },
          { path: 'deploy.yaml', line: 21, startLine: 18, side: 'RIGHT', body: '```suggestion\na\nb\n```' },
        ],
      },
    ]);
  });

  it('creates no review when no suggestion can be placed', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { 'a.txt': 'c\n' } });

    const result = await client.createSuggestionReview(repo, pr.number, pr.headSha, [
      { path: 'b.txt', line: 1, replacement: 'z' },
    ]);

    expect(result).toEqual({
      reviewId: undefined,
      posted: [],
      existing: [],
      skipped: [{ path: 'b.txt', line: 1, replacement: 'z' }],
    });
    expect(gh.reviews(repo, pr.number)).toEqual([]);
  });

  it('does not post its own suggestion twice, and is not stopped by the same suggestion from someone else', async () => {
    const repo = nextRepo();
    await gh.createRepo(repo, { Dockerfile: 'FROM a\n' });
    const pr = await gh.createPullRequest({ repo, head: 'x', files: { Dockerfile: 'FROM nginx:1\n' } });
    const suggestion = {
      path: 'Dockerfile',
      line: 1,
      replacement: 'FROM m/nginx:1@sha256:abc',
      message: 'Mirrored.',
    };
    gh.setToken({ login: 'someone-else' });
    const stranger = createGitHubClient({
      token: gh.token,
      apiUrl: gh.url,
      graphqlUrl: gh.graphqlUrl,
      retries: 0,
      throttle: false,
    });
    await stranger.createSuggestionReview(repo, pr.number, pr.headSha, [suggestion]);
    gh.setToken({ login: 'github-actions[bot]' });

    const first = await client.createSuggestionReview(repo, pr.number, pr.headSha, [suggestion]);
    const second = await client.createSuggestionReview(repo, pr.number, pr.headSha, [suggestion]);

    expect(first.posted).toEqual([suggestion]);
    expect(second).toEqual({ reviewId: undefined, posted: [], existing: [suggestion], skipped: [] });
    expect(gh.reviews(repo, pr.number).map((review) => review.login)).toEqual([
      'someone-else',
      'github-actions[bot]',
    ]);
  });
});
