/**
 * runAction in process, mode by mode, against the simulated GitHub (a real git repository),
 * real registries and the fake Artifact Registry API, with the real copier.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inertText } from '../../src/github/markdown.js';
import { type PushedImage, pushRandomImage } from '../support/images.js';
import { type ActionHarness, startActionHarness } from './harness.js';

const REPO = 'acme/shop';
const SUGGESTION_MESSAGE = 'Use the image ar-mirror copied into Artifact Registry (digest-pinned).';

/** The fixed note of a name-only rewrite whose tag variable `variable` defaults to `tag`. */
const VARIABLE_NOTE = (variable: string, tag: string) =>
  `${variable}: only the default's tag (${tag}) was mirrored; other values pull tags the mirror does not have until they are mirrored too; not digest-pinned`;

let h: ActionHarness;
const images: Record<string, PushedImage> = {};
let prCount = 0;

beforeAll(async () => {
  h = await startActionHarness();
  [images.app, images.db, images.cache, images.web] = await Promise.all([
    pushRandomImage(h.source, 'lib/app:1', { platforms: ['linux/amd64', 'linux/arm64'] }),
    pushRandomImage(h.source, 'lib/db:3', { format: 'docker' }),
    pushRandomImage(h.source, 'lib/cache:7'),
    pushRandomImage(h.source, 'lib/web:2'),
  ]);
  await h.github.createRepo(REPO, { 'README.md': '# shop\n' });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

function pod(image: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
}

async function newPullRequest(files: Record<string, string>, repo = REPO) {
  prCount++;
  const head = `feature-${prCount}`;
  const pr = await h.github.createPullRequest({ repo, head, files });
  return { ...pr, head };
}

function suggestionBody(replacement: string): string {
  return `${SUGGESTION_MESSAGE}\n\n\`\`\`suggestion\n${replacement}\n\`\`\``;
}

describe('mode: suggest', () => {
  it('copies, then posts one review with suggestion blocks on the exact lines, and commits nothing', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({
      Dockerfile: `# build\nFROM ${src}/lib/app:1 AS base\nRUN echo hi\n`,
      'deploy/web.yaml': pod(`"${src}/lib/db:3"`),
    });

    const { result } = await h.run(REPO, pr.number, { inputs: { mode: 'suggest' } });

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/app', '1')).toBe(images.app!.digest);
    expect(await h.destinationDigest('lib/db', '3')).toBe(images.db!.digest);
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.commit).toBeUndefined();
    const app = `${h.mirrored('lib/app')}:1@${images.app!.digest}`;
    const db = `${h.mirrored('lib/db')}:3@${images.db!.digest}`;
    const reviews = h.github.reviews(REPO, pr.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]!.commitId).toBe(pr.headSha);
    expect(reviews[0]!.event).toBe('COMMENT');
    expect(reviews[0]!.comments).toEqual([
      { path: 'Dockerfile', line: 2, side: 'RIGHT', body: suggestionBody(`FROM ${app} AS base`) },
      { path: 'deploy/web.yaml', line: 8, side: 'RIGHT', body: suggestionBody(`      image: "${db}"`) },
    ]);
    expect(result.mirrored).toEqual([
      expect.objectContaining({ source: `${src}/lib/app:1`, status: 'suggested' }),
      expect.objectContaining({ source: `${src}/lib/db:3`, status: 'suggested' }),
    ]);
    const comments = h.github.comments(REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('copied, suggested');
  });
});

describe('mode: suggest with a variable tag', () => {
  it('says the edit note, not "digest-pinned", above the suggestion of a name-only rewrite', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({
      Dockerfile: `ARG APP_TAG=1\nFROM ${src}/lib/app:\${APP_TAG}\nRUN echo hi\nFROM ${src}/lib/db:3\n`,
    });

    const { result } = await h.run(REPO, pr.number, { inputs: { mode: 'suggest' } });

    expect(result.failure).toBeUndefined();
    const db = `${h.mirrored('lib/db')}:3@${images.db!.digest}`;
    const unpinned = `Use the image ar-mirror copied into Artifact Registry, keeping the variable tag; ${VARIABLE_NOTE('APP_TAG', '1')}.`;
    expect(h.github.reviews(REPO, pr.number)[0]!.comments).toEqual([
      {
        path: 'Dockerfile',
        line: 2,
        side: 'RIGHT',
        body: `${unpinned}\n\n\`\`\`suggestion\nFROM ${h.mirrored('lib/app')}:\${APP_TAG}\n\`\`\``,
      },
      { path: 'Dockerfile', line: 4, side: 'RIGHT', body: suggestionBody(`FROM ${db}`) },
    ]);
  });
});

describe('workflow files without the workflows permission', () => {
  it('commits the Dockerfile, suggests the workflow change, and says why', async () => {
    const src = h.source.host;
    const workflow = `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: ${src}/lib/cache:7\n    steps:\n      - run: make test\n`;
    const pr = await newPullRequest({
      '.github/workflows/ci.yml': workflow,
      Dockerfile: `FROM ${src}/lib/web:2\n`,
    });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    const commits = await h.github.commits(REPO, pr.head, pr.headSha);
    expect(commits).toHaveLength(1);
    const after = await h.github.branchFiles(REPO, pr.head);
    expect(after.Dockerfile).toBe(`FROM ${h.mirrored('lib/web')}:2@${images.web!.digest}\n`);
    expect(after['.github/workflows/ci.yml']).toBe(workflow);
    const cache = `${h.mirrored('lib/cache')}:7@${images.cache!.digest}`;
    const reviews = h.github.reviews(REPO, pr.number);
    expect(reviews.map((r) => r.comments)).toEqual([
      [
        {
          path: '.github/workflows/ci.yml',
          line: 6,
          side: 'RIGHT',
          body: suggestionBody(`    container: ${cache}`),
        },
      ],
    ]);
    expect(result.summary).toContain('needs the workflows permission');
    expect(
      result.mirrored.map((m) => [(m as { source: string }).source, (m as { status: string }).status]),
    ).toEqual([
      [`${src}/lib/cache:7`, 'suggested'],
      [`${src}/lib/web:2`, 'rewritten'],
    ]);
    // Worded per line: the workflow line was suggested (and why), the Dockerfile line committed.
    expect(result.annotations.map((a) => [a.file, a.message])).toEqual([
      [
        '.github/workflows/ci.yml',
        `ar-mirror copied ${src}/lib/cache:7 to ${cache} and suggested the rewrite of this line in a review because the token may not change files under .github/workflows/ (it needs the workflows permission).`,
      ],
      [
        'Dockerfile',
        `ar-mirror copied ${src}/lib/web:2 to ${h.mirrored('lib/web')}:2@${images.web!.digest} and committed the rewrite of this line in ${commits[0]!.oid.slice(0, 7)}.`,
      ],
    ]);
    expect(h.github.comments(REPO, pr.number)[0]!.body).toContain('needs the workflows permission');
  });
});

describe('a review that fails after the commit landed', () => {
  it('keeps the commit: commit-sha, rewritten images, and the review error (not "nothing was committed")', async () => {
    const src = h.source.host;
    const workflow = `name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container: ${src}/lib/cache:7\n    steps:\n      - run: make test\n`;
    const pr = await newPullRequest({
      '.github/workflows/ci.yml': workflow,
      Dockerfile: `FROM ${src}/lib/web:2\n`,
    });
    // The token loses pull-requests write just before the review, and gets it back for the comment.
    h.github.onRequest({
      operation: 'pulls/create-review',
      run: () => h.github.setToken({ permissions: { pullRequests: 'read' } }),
    });
    // (The first comment listing reads the record at the start of the run; the second finds the comment to update.)
    h.github.onRequest({
      operation: 'issues/list-comments',
      nth: 2,
      run: () => h.github.setToken({ permissions: { pullRequests: 'write' } }),
    });

    const { result } = await h.run(REPO, pr.number, { inputs: { 'fail-on': 'unmirrored' } });

    const commits = await h.github.commits(REPO, pr.head, pr.headSha);
    expect(commits).toHaveLength(1);
    expect(result.commit?.oid).toBe(commits[0]!.oid);
    expect(h.github.reviews(REPO, pr.number)).toEqual([]);
    expect(
      result.mirrored.map((m) => [(m as { source: string }).source, (m as { status: string }).status]),
    ).toEqual([
      [`${src}/lib/cache:7`, 'copied'],
      [`${src}/lib/web:2`, 'rewritten'],
    ]);
    expect(result.failure).toMatch(/^ar-mirror found 1 error\(s\): could not post the review suggestions: /);
    expect(result.summary).not.toContain('nothing was committed');
    expect(h.github.comments(REPO, pr.number)[0]!.body).toContain('committed');
  });
});

describe('mode: copy and mode: report', () => {
  it('copy: copies, commits nothing, and the comment says copied', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/cache:7\n` });

    const { result } = await h.run(REPO, pr.number, { inputs: { mode: 'copy' } });

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/cache', '7')).toBe(images.cache!.digest);
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(h.github.reviews(REPO, pr.number)).toEqual([]);
    expect(result.mirrored).toEqual([
      {
        source: `${src}/lib/cache:7`,
        destination: `${h.mirrored('lib/cache')}:7`,
        digest: images.cache!.digest,
        platforms: ['linux/amd64'],
        bytes: expect.any(Number),
        status: 'copied',
      },
    ]);
    const comments = h.github.comments(REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toMatch(/\| (copied|already mirrored) \| — \|$/m);
    expect(comments[0]!.body).not.toContain('rewritten');
  });

  it('report on a same-repository PR: nothing copied, nothing written but the comment', async () => {
    const src = h.source.host;
    await pushRandomImage(h.source, 'lib/report-only:1');
    const pr = await newPullRequest({ 'deploy/pod.yaml': pod(`${src}/lib/report-only:1`) });

    const { result } = await h.run(REPO, pr.number, { inputs: { mode: 'report' } });

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/report-only', '1')).toBeUndefined();
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.mirrored).toEqual([]);
    expect(result.references).toEqual([
      expect.objectContaining({ file: 'deploy/pod.yaml', line: 8, image: `${src}/lib/report-only:1` }),
    ]);
    expect(result.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Third-party image', file: 'deploy/pod.yaml' }),
    ]);
    expect(result.summary).toContain('Mode: report.');
  });
});

describe('pull_request_target', () => {
  it('only reports, and says why', async () => {
    const src = h.source.host;
    await pushRandomImage(h.source, 'lib/target:1');
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/target:1\n` });

    const { result, logs } = await h.run(REPO, pr.number, { eventName: 'pull_request_target' });

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/target', '1')).toBeUndefined();
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.summary).toContain('Mode: report.');
    expect(result.summary).toContain('pull_request_target runs with this repository');
    expect(logs.filter((l) => l.startsWith('warning: pull_request_target'))).toHaveLength(1);
  });
});

describe('a closed pull request', () => {
  it('only reports (a workflow that also runs on closed): nothing copied, nothing committed', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${h.source.host}/lib/web:2\n` });
    h.github.closePullRequest(REPO, pr.number, { merged: true });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.commit).toBeUndefined();
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.summary).toContain('Mode: report.');
    expect(result.summary).toContain('this pull request is closed');
    expect(result.mirrored).toEqual([]);
  });
});

describe('fail-on', () => {
  it('unmirrored fails a report-mode run and names the images', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/unmirrored:1\n` });

    const { result } = await h.run(REPO, pr.number, { inputs: { mode: 'report', 'fail-on': 'unmirrored' } });

    expect(result.failure).toBe(`1 new third-party image(s) are not mirrored: ${src}/lib/unmirrored:1`);
  });

  it('never does not fail, even when a copy fails', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/missing:1\n` });

    const run = await h.run(REPO, pr.number, { inputs: { 'fail-on': 'never' } });
    const strict = await h.run(REPO, pr.number);

    expect(run.result.failure).toBeUndefined();
    expect(run.result.mirrored).toEqual([
      expect.objectContaining({ source: `${src}/lib/missing:1`, status: 'failed' }),
    ]);
    expect(strict.result.failure).toMatch(/^ar-mirror found 1 error\(s\): .*lib\/missing:1/);
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
  });
});

describe('the sticky comment', () => {
  it('is updated in place on the next push; a planted marker by someone else is left alone', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/app:1\n` });
    const planted = h.github.addComment(REPO, pr.number, 'mallory', '<!-- ar-mirror -->\nplanted');

    await h.run(REPO, pr.number, { inputs: { mode: 'copy' } });
    const first = h.github.comments(REPO, pr.number);
    await h.github.pushCommit(REPO, pr.head, { files: { 'deploy/db.yaml': pod(`${src}/lib/db:3`) } });
    await h.run(REPO, pr.number, { inputs: { mode: 'copy' } });
    const second = h.github.comments(REPO, pr.number);

    expect(first.map((c) => [c.id, c.login])).toEqual([
      [planted, 'mallory'],
      [first[1]!.id, 'github-actions[bot]'],
    ]);
    expect(second.map((c) => [c.id, c.login])).toEqual([
      [planted, 'mallory'],
      [first[1]!.id, 'github-actions[bot]'],
    ]);
    expect(second[0]!.body).toBe('<!-- ar-mirror -->\nplanted');
    expect(second[1]!.body).toContain(`\`${src}/lib/db:3\``);
    expect(second[1]!.body).toContain(`\`${src}/lib/app:1\``);
    expect(second[1]!.body.split('<!-- ar-mirror -->')).toHaveLength(2);
  });
});

describe('a re-run that finds nothing new', () => {
  it('writes nothing at all: the comment keeps the follow-up commit link and is not touched', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${h.source.host}/lib/cache:7\n` });
    const first = await h.run(REPO, pr.number);
    const before = h.github.requests.length;

    await h.run(REPO, pr.number);

    const during = h.github.requests.slice(before);
    expect(during.filter((r) => r.method !== 'GET' && r.operation !== 'graphql')).toEqual([]);
    // The one GraphQL request reads the token's login.
    expect(during.filter((r) => r.operation === 'graphql')).toHaveLength(1);
    const oid = first.result.commit!.oid;
    expect(h.github.comments(REPO, pr.number)[0]!.body).toContain(
      `Follow-up commit: [\`${oid.slice(0, 7)}\`](${first.result.commit!.url})`,
    );
  });
});

describe('Kustomize and Helm values', () => {
  it('rewrites with the documented conventions, verified by the commit contents', async () => {
    const src = h.source.host;
    const port = src.split(':')[1];
    const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nimages:\n  # pinned by ar-mirror\n  - name: ${src}/lib/app\n    newTag: "1"\n`;
    const values = `replicaCount: 1\nimage:\n  registry: ${src}\n  repository: lib/db\n  tag: "3"\n  pullPolicy: IfNotPresent\n`;
    const pr = await newPullRequest({
      'deploy/kustomization.yaml': kustomization,
      'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'charts/web/values.yaml': values,
    });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toHaveLength(1);
    const after = await h.github.branchFiles(REPO, pr.head);
    expect(after['deploy/kustomization.yaml']).toBe(
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\nimages:\n  # pinned by ar-mirror\n  - name: ${src}/lib/app\n    newTag: "1"\n    newName: ${h.mirrored('lib/app')}\n    digest: ${images.app!.digest}\n`,
    );
    expect(after['charts/web/values.yaml']).toBe(
      `replicaCount: 1\nimage:\n  registry: us-docker.pkg.dev\n  repository: acme-prod/mirror/127.0.0.1-${port}/lib/db\n  tag: "3@${images.db!.digest}"\n  pullPolicy: IfNotPresent\n`,
    );
  });
});

describe('Helm charts', () => {
  it("reads a chart's Chart.yaml once for all its values files, and each blob once", async () => {
    const src = h.source.host;
    const values = (tag: string) => `image:\n  repository: ${src}/lib/db\n  tag: "${tag}"\n`;
    const repo = 'acme/charts';
    await h.github.createRepo(repo, {
      'charts/api/Chart.yaml': 'apiVersion: v2\nname: api\nversion: 0.1.0\n',
    });
    const pr = await newPullRequest(
      {
        'charts/api/values.yaml': values('3'),
        'charts/api/values-prod.yaml': values('3.1'),
        'charts/api/values-dev.yaml': values('3.2'),
      },
      repo,
    );
    const before = h.github.requests.length;

    const { result } = await h.run(repo, pr.number, { inputs: { mode: 'report' } });

    const requests = h.github.requests.slice(before);
    const blobs = requests.filter((r) => r.operation === 'git/get-blob').map((r) => r.path);
    // Three values files and one Chart.yaml, each read once, through its blob.
    expect(blobs).toHaveLength(4);
    expect(new Set(blobs).size).toBe(4);
    expect(
      requests.filter((r) => r.operation === 'repos/get-content' && r.path.includes('/contents/charts')),
    ).toEqual([]);
    expect(result.references.map((r) => r.file)).toEqual([
      'charts/api/values-dev.yaml',
      'charts/api/values-prod.yaml',
      'charts/api/values.yaml',
    ]);
  });
});

describe('configuration', () => {
  it('honours the config file on the base branch, not the one changed by the PR', async () => {
    const src = h.source.host;
    const repo = 'acme/configured';
    await h.github.createRepo(repo, {
      '.github/ar-mirror.yml': `ignore-images:\n  - ${src}/lib/cache*\nexclude:\n  - legacy/**\n`,
    });
    const files = {
      '.github/ar-mirror.yml': 'mode: report\n',
      Dockerfile: `FROM ${src}/lib/cache:7\n`,
      'legacy/Dockerfile': `FROM ${src}/lib/web:2\n`,
      'app/Dockerfile': `FROM ${src}/lib/app:1\n`,
    };
    const pr = await newPullRequest(files, repo);

    const { result } = await h.run(repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(result.references.map((r) => `${r.file} ${r.image}`)).toEqual([`app/Dockerfile ${src}/lib/app:1`]);
    const after = await h.github.branchFiles(repo, pr.head);
    expect(after).toEqual({
      ...files,
      'app/Dockerfile': `FROM ${h.mirrored('lib/app')}:1@${images.app!.digest}\n`,
    });
  });

  it('a brace glob in include keeps its commas', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({
      'k8s/prod/a.yaml': pod(`${src}/lib/app:1`),
      'k8s/staging/b.yaml': pod(`${src}/lib/app:1`),
      'k8s/dev/c.yaml': pod(`${src}/lib/app:1`),
    });

    const { result } = await h.run(REPO, pr.number, {
      inputs: { mode: 'report', include: 'k8s/{prod,staging}/*.yaml' },
    });

    expect(result.references.map((r) => r.file)).toEqual(['k8s/prod/a.yaml', 'k8s/staging/b.yaml']);
  });

  it('an invalid destination input fails with a message naming the input', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${h.source.host}/lib/app:1\n` });

    const run = h.run(REPO, pr.number, { inputs: { destination: 'docker.io/acme/mirror' } });

    await expect(run).rejects.toThrow(/^input "destination": /);
  });
});

describe('what counts as new', () => {
  it('a renamed file keeps its references (not new); scan-all takes them too', async () => {
    const src = h.source.host;
    const repo = 'acme/renames';
    const existing = pod(`${src}/lib/web:2`);
    await h.github.createRepo(repo, { 'deploy/old.yaml': existing });
    prCount++;
    const head = `feature-${prCount}`;
    const pr = await h.github.createPullRequest({
      repo,
      head,
      renames: { 'deploy/old.yaml': 'deploy/new.yaml' },
      files: { Dockerfile: `FROM ${src}/lib/web:2\n` },
    });

    const plain = await h.run(repo, pr.number, { inputs: { mode: 'report' } });
    const all = await h.run(repo, pr.number, { inputs: { mode: 'report', 'scan-all': 'true' } });

    expect(plain.result.references.map((r) => r.file)).toEqual(['Dockerfile']);
    expect(all.result.references.map((r) => r.file)).toEqual(['Dockerfile', 'deploy/new.yaml']);
    expect(h.github.comments(repo, pr.number)).toHaveLength(1);
  });
});

describe('a base branch that moved after the pull request branched', () => {
  it('is compared at the merge base: an image only the base changed since is not new in the pull request', async () => {
    const src = h.source.host;
    const repo = 'acme/moved-base';
    await h.github.createRepo(repo, { Dockerfile: `FROM ${src}/lib/web:2\nRUN make\n` });
    prCount++;
    const head = `feature-${prCount}`;
    const pr = await h.github.createPullRequest({
      repo,
      head,
      files: { Dockerfile: `FROM ${src}/lib/web:2\nRUN make test\n` },
    });
    // Another pull request merged meanwhile moved the base's image.
    await h.github.pushCommit(repo, 'main', { files: { Dockerfile: `FROM ${src}/lib/app:1\nRUN make\n` } });

    const { result } = await h.run(repo, pr.number);

    expect(result.references).toEqual([]);
    expect(result.failure).toBeUndefined();
    expect(await h.github.commits(repo, head, pr.headSha)).toEqual([]);
  });
});

describe('commit details', () => {
  it('commits a BOM + CRLF file byte-exactly and leaves deleted files alone', async () => {
    const src = h.source.host;
    const repo = 'acme/bytes';
    await h.github.createRepo(repo, { 'old/Dockerfile': `FROM ${src}/lib/db:3\n` });
    const compose = `\uFEFFservices:\r\n  web:\r\n    image: "${src}/lib/web:2" # web\r\n`;
    prCount++;
    const head = `feature-${prCount}`;
    const pr = await h.github.createPullRequest({
      repo,
      head,
      files: { 'compose.yaml': compose },
      deletions: ['old/Dockerfile'],
    });

    const { result } = await h.run(repo, pr.number);

    expect(result.failure).toBeUndefined();
    expect(await h.github.branchFiles(repo, head)).toEqual({
      'compose.yaml': compose.replace(`${src}/lib/web:2`, `${h.mirrored('lib/web')}:2@${images.web!.digest}`),
    });
  });

  it('gives up after the branch moves twice, and says nothing was committed', async () => {
    const src = h.source.host;
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/db:3\n` });
    const pushes: string[] = [];
    // GraphQL request 1 is the token's login (read for the comment's record); 2 and 3 are the commits.
    for (const nth of [2, 3]) {
      h.github.onRequest({
        operation: 'graphql',
        nth,
        run: async () => {
          pushes.push(await h.github.pushCommit(REPO, pr.head, { files: { [`n${nth}.md`]: 'x\n' } }));
        },
      });
    }

    const { result } = await h.run(REPO, pr.number);

    expect(pushes).toHaveLength(2);
    expect((await h.github.commits(REPO, pr.head, pr.headSha)).map((c) => c.oid)).toEqual(pushes.reverse());
    expect(result.commit).toBeUndefined();
    expect(result.failure).toMatch(/^ar-mirror found 1 error\(s\): nothing was committed: /);
  });
});

describe('registry filters', () => {
  it('allow-registries leaves other registries unmirrored, reported, and failing under fail-on: unmirrored', async () => {
    const src = h.source.host;
    await pushRandomImage(h.source, 'lib/not-allowed:1');
    const pr = await newPullRequest({
      Dockerfile: `FROM ${src}/lib/not-allowed:1\n`,
      'deploy/pod.yaml': pod(`${src}/lib/not-allowed:1`),
    });

    const { result } = await h.run(REPO, pr.number, {
      inputs: { 'allow-registries': 'ghcr.io', 'fail-on': 'unmirrored' },
    });

    expect(await h.destinationDigest('lib/not-allowed', '1')).toBeUndefined();
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
    expect(result.references.map((r) => r.file)).toEqual(['Dockerfile', 'deploy/pod.yaml']);
    expect(result.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Not mirrored', file: 'Dockerfile', startLine: 1 }),
      expect.objectContaining({
        level: 'warning',
        title: 'Not mirrored',
        file: 'deploy/pod.yaml',
        startLine: 8,
      }),
    ]);
    expect(result.failure).toBe(`1 new third-party image(s) are not mirrored: ${src}/lib/not-allowed:1`);
    expect(result.annotations[0]!.message).toBe(
      `${src}/lib/not-allowed:1: ${src} is not in allow-registries`,
    );
    expect(h.github.comments(REPO, pr.number)[0]!.body).toContain(
      `| \`${src}/lib/not-allowed:1\` | — | — | — | — | skipped: ${src} is not in allow-registries |`,
    );
  });
});

describe('immutable tags', () => {
  it('refuses, before uploading, a tag the destination already holds with another digest', async () => {
    const src = h.source.host;
    const name = 'projects/acme-prod/locations/us/repositories/mirror';
    const repository = h.google.repositories.get(name)!;
    h.google.repositories.set(name, { ...repository, dockerConfig: { immutableTags: true } });
    const hostPath = src.replace(':', '-');
    const squatter = await pushRandomImage(h.destination, `acme-prod/mirror/${hostPath}/lib/web:2`);
    const pr = await newPullRequest({ Dockerfile: `FROM ${src}/lib/web:2\n` });

    const { result } = await h
      .run(REPO, pr.number)
      .finally(() => h.google.repositories.set(name, repository));

    expect(result.failure).toMatch(
      new RegExp(
        `^ar-mirror found 1 error\\(s\\): ${src}/lib/web:2: .*tag .*already points at ${squatter.digest} and the repository has immutable tags`,
      ),
    );
    expect(await h.destinationDigest('lib/web', '2')).toBe(squatter.digest);
    expect(await h.github.commits(REPO, pr.head, pr.headSha)).toEqual([]);
  });
});

describe('occurrences that are copied but cannot be rewritten', () => {
  it('are reported once: one annotation and one summary note', async () => {
    const src = h.source.host;
    const compose = `services:\n  a:\n    image: \${REG:-${src}}/lib/cache:7\n  b:\n    image: ${src}/lib/cache:7\n`;
    const pr = await newPullRequest({ 'compose.yaml': compose });

    const { result } = await h.run(REPO, pr.number);

    const cache = `${h.mirrored('lib/cache')}:7@${images.cache!.digest}`;
    expect(await h.github.branchFiles(REPO, pr.head)).toEqual({
      'README.md': '# shop\n',
      'compose.yaml': compose.replace(`image: ${src}/lib/cache:7`, `image: ${cache}`),
    });
    const notRewritten = result.annotations.filter((a) => a.title === 'Not rewritten');
    expect(notRewritten).toEqual([
      expect.objectContaining({ level: 'warning', file: 'compose.yaml', startLine: 3 }),
    ]);
    const note = `compose.yaml:3: ${src}/lib/cache:7 is not rewritten: ${notRewritten[0]!.message.split(': ').slice(1).join(': ')}`;
    expect(result.summary.split(inertText(note))).toHaveLength(2);
  });
});

describe('a reference whose tag comes from a variable', () => {
  it('is rewritten to the mirror with the variable kept, and the annotation says only the default was mirrored', async () => {
    const src = h.source.host;
    const dockerfile = `ARG APP_TAG=1\nFROM ${src}/lib/app:\${APP_TAG}\n`;
    const pr = await newPullRequest({ Dockerfile: dockerfile });

    const { result } = await h.run(REPO, pr.number);

    expect(result.failure).toBeUndefined();
    const after = await h.github.branchFiles(REPO, pr.head);
    expect(after.Dockerfile).toBe(`ARG APP_TAG=1\nFROM ${h.mirrored('lib/app')}:\${APP_TAG}\n`);
    expect(result.annotations.filter((a) => a.title === 'Mirrored').map((a) => a.message)).toEqual([
      `ar-mirror copied ${src}/lib/app:1 to ${h.mirrored('lib/app')}:1@${images.app!.digest} and committed the rewrite of this line in ${result.commit!.oid.slice(0, 7)}, keeping its variable tag; ${VARIABLE_NOTE('APP_TAG', '1')}.`,
    ]);
  });
});
