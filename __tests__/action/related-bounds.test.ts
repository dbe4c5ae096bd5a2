/**
 * What reading related files costs and where it stops: the GitHub requests of a pull request do
 * not grow with the repository, a per-run bound on related files leaves a note, a listing GitHub
 * cut falls back to reads by path, and the scan sees what a checkout scan sees (build outputs as
 * notices, context-only files not extracted). Against the simulated GitHub, which counts requests.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectChangedFiles } from '../../src/action/collect.js';
import { findNewReferences } from '../../src/action/new-references.js';
import { createGitHubClient } from '../../src/github/client.js';
import type { GitHubClient } from '../../src/github/types.js';
import { extractFile } from '../../src/scan/index.js';
import { TREE_LIMIT } from '../support/github-server/branch-handlers.js';
import { type ActionHarness, startActionHarness } from './harness.js';

let h: ActionHarness;
let client: GitHubClient;
let prCount = 0;

beforeAll(async () => {
  h = await startActionHarness();
  client = createGitHubClient({
    token: h.github.token,
    apiUrl: h.github.url,
    graphqlUrl: h.github.graphqlUrl,
    throttle: false,
    retries: 0,
  });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

async function pullRequest(files: Record<string, string>, changes: Record<string, string>) {
  prCount++;
  const repo = `acme/bounds-${prCount}`;
  await h.github.createRepo(repo, files);
  const pr = await h.github.createPullRequest({ repo, head: `feature-${prCount}`, files: changes });
  return { repo, ...pr, info: await client.getPullRequest(repo, pr.number) };
}

const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          image: ${image}\n`;

/** A monorepo of `count` services, each with manifests, a compose project, a Dockerfile and a chart. */
function monorepo(count: number): Record<string, string> {
  const files: Record<string, string> = {
    'skaffold.yaml': 'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: svc\n',
  };
  for (let i = 0; i < count; i++) {
    const dir = `services/svc-${String(i).padStart(3, '0')}`;
    files[`${dir}/k8s/deployment.yaml`] = deployment(`registry.example/svc-${i}:1`);
    files[`${dir}/compose.yaml`] = 'services:\n  app:\n    image: ${APP_IMAGE}\n';
    files[`${dir}/.env`] = `APP_IMAGE=registry.example/app-${i}:1\n`;
    files[`${dir}/Dockerfile`] = 'FROM registry.example/base:1\n';
    files[`${dir}/chart/Chart.yaml`] = 'apiVersion: v2\nname: svc\nversion: 0.1.0\nappVersion: "1"\n';
    files[`${dir}/chart/values.yaml`] = 'image:\n  repository: registry.example/svc\n  tag: ""\n';
    files[`${dir}/chart/templates/deployment.yaml`] = 'image: "{{ .Values.image.repository }}"\n';
    files[`${dir}/src/main.go`] = 'package main\n';
  }
  return files;
}

/** The GitHub operations of one run, counted. */
function operations(since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of h.github.requests.slice(since)) {
    const key = request.operation ?? `${request.method} ${request.path}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('GitHub requests', () => {
  it('do not grow with the repository: a one-manifest pull request reads the same few files in 8 and in 120 services', async () => {
    const counts: Record<string, number>[] = [];
    for (const size of [8, 120]) {
      const change = { 'services/svc-003/k8s/deployment.yaml': deployment('registry.example/other:2') };
      const pr = await pullRequest(monorepo(size), change);
      const before = h.github.requests.length;

      const { result } = await h.run(pr.repo, pr.number, { inputs: { mode: 'report' } });

      expect(result.references.map((r) => r.image)).toEqual(['registry.example/other:2']);
      counts.push(operations(before));
    }

    expect(counts[1]).toEqual(counts[0]);
    // Both trees once; blobs: the manifest at both commits, then the declarations above it (the
    // service's compose file and its .env, the root skaffold.yaml), each read once for both commits.
    expect(counts[1]!['git/get-tree']).toBe(2);
    expect(counts[1]!['git/get-blob']).toBe(5);
    // The contents API reads only the configuration file.
    expect(counts[1]!['repos/get-content']).toBe(1);
  });

  it('a pull request that changes no scanned file lists no tree', async () => {
    const pr = await pullRequest(monorepo(2), { 'services/svc-000/src/main.go': 'package main // x\n' });
    const before = h.github.requests.length;

    const collected = await collectChangedFiles(client, pr.info, { repo: pr.repo, include: [], exclude: [] });

    expect(collected.files).toEqual([]);
    expect(operations(before)).toEqual({ 'pulls/list-files': 1 });
  });
});

describe('the related-file bound', () => {
  it('stops at the bound and says which files were left out', async () => {
    const files: Record<string, string> = {
      'chart/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\nappVersion: "4"\n',
    };
    for (let i = 0; i < 6; i++)
      files[`chart/templates/t${i}.yaml`] = `# ${i}\nimage: "{{ .Values.image.repository }}"\n`;
    const pr = await pullRequest(files, {
      'chart/values.yaml': 'image:\n  repository: registry.example/c\n  tag: ""\n',
    });
    const before = h.github.requests.length;

    const collected = await collectChangedFiles(client, pr.info, {
      repo: pr.repo,
      include: [],
      exclude: [],
      limits: { maxFiles: 3 },
    });

    // The values file is a changed file (not bounded); three related files, then the bound.
    expect(operations(before)['git/get-blob']).toBe(4);
    expect(collected.notes).toEqual([
      expect.stringMatching(
        /^4 related file\(s\) were not read \(a run reads at most 3 related files, 16777216 bytes in all\): chart\/templates\/t\d\.yaml, /,
      ),
    ]);
  });
});

describe('a tree listing GitHub cut', () => {
  it('reads the related files by path and says the listing was incomplete', async () => {
    const files: Record<string, string> = { 'zz/.env': 'APP_IMAGE=registry.example/app:9\n' };
    for (let i = 0; i < 6; i++) files[`a${i}.txt`] = 'x\n';
    const pr = await pullRequest(files, {
      'zz/compose.yaml': 'services:\n  app:\n    image: ${APP_IMAGE}\n',
    });
    const limit = TREE_LIMIT.entries;
    TREE_LIMIT.entries = 3;
    try {
      const collected = await collectChangedFiles(client, pr.info, {
        repo: pr.repo,
        include: [],
        exclude: [],
      });
      const found = findNewReferences(collected.files, extractFile, { outputs: collected.outputs });

      expect(found.added.map((o) => [o.file, o.start.line, o.raw])).toEqual([
        ['zz/.env', 1, 'registry.example/app:9'],
      ]);
      expect(collected.notes).toEqual([expect.stringMatching(/^GitHub cut the listing/)]);
    } finally {
      TREE_LIMIT.entries = limit;
    }
  });
});

describe('a tree listing GitHub cut, and a file a scan does not read', () => {
  it('is not looked up by path either: a Dockerfile under a name no finder reads feeds no build args, as in a checkout', async () => {
    const files: Record<string, string> = { 'zz/docker/Prod': 'ARG BASE\nFROM ${BASE}\n' };
    for (let i = 0; i < 6; i++) files[`a${i}.txt`] = 'x\n';
    const compose =
      'services:\n  app:\n    build:\n      context: docker\n      dockerfile: Prod\n      args:\n        BASE: registry.example/base:1\n';
    const pr = await pullRequest(files, { 'zz/compose.yaml': compose });
    const limit = TREE_LIMIT.entries;
    TREE_LIMIT.entries = 3;
    const before = h.github.requests.length;
    try {
      const collected = await collectChangedFiles(client, pr.info, {
        repo: pr.repo,
        include: [],
        exclude: [],
      });
      const found = findNewReferences(collected.files, extractFile, { outputs: collected.outputs });

      expect(found.added).toEqual([]);
      const paths = h.github.requests.slice(before).map((r) => decodeURIComponent(r.path));
      expect(paths.filter((p) => p.includes('docker/Prod'))).toEqual([]);
    } finally {
      TREE_LIMIT.entries = limit;
    }
  });
});

describe('what the scan is handed', () => {
  it('a reference to a skaffold artifact becomes a notice saying who builds it', async () => {
    const pr = await pullRequest(
      {
        'skaffold.yaml':
          'apiVersion: skaffold/v4beta11\nkind: Config\nbuild:\n  artifacts:\n    - image: adservice\n',
      },
      { 'k8s/ad.yaml': deployment('adservice') },
    );

    const collected = await collectChangedFiles(client, pr.info, { repo: pr.repo, include: [], exclude: [] });
    const found = findNewReferences(collected.files, extractFile, { outputs: collected.outputs });

    expect(found.added).toEqual([]);
    expect(found.diagnostics).toEqual([
      {
        file: 'k8s/ad.yaml',
        line: 10,
        severity: 'notice',
        message:
          'image "adservice" is built by this repository (skaffold build.artifacts of skaffold.yaml, skaffold.yaml:5), which puts its own build in its place; not mirrored',
      },
    ]);
  });

  it('files under node_modules are not scanned, as a scan of the checkout does not walk into it', async () => {
    const pr = await pullRequest(
      { 'README.md': '# x\n' },
      {
        'node_modules/chart-kit/pod.yaml': deployment('registry.example/vendored:1'),
        'k8s/pod.yaml': deployment('registry.example/own:1'),
      },
    );

    const collected = await collectChangedFiles(client, pr.info, { repo: pr.repo, include: [], exclude: [] });

    expect(collected.files.map((f) => f.path)).toEqual(['k8s/pod.yaml']);
  });

  it('a symbolic link is not read (its target is scanned where it lives), as in a checkout', async () => {
    prCount++;
    const repo = `acme/bounds-${prCount}`;
    await h.github.createRepo(repo, { 'README.md': '# x\n' });
    const pr = await h.github.createPullRequest({
      repo,
      head: `feature-${prCount}`,
      files: { 'k8s/real.yaml': deployment('registry.example/real:1') },
      symlinks: { 'k8s/link.yaml': 'real.yaml' },
    });
    const info = await client.getPullRequest(repo, pr.number);

    const collected = await collectChangedFiles(client, info, { repo, include: [], exclude: [] });

    expect(collected.files.map((f) => f.path)).toEqual(['k8s/real.yaml']);
  });

  it('a changed context-only file (a chart helper) is read but not scanned itself', async () => {
    const pr = await pullRequest(
      { 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n' },
      { 'c/templates/_helpers.tpl': '{{- define "c.name" -}}c{{- end }}\n' },
    );

    const collected = await collectChangedFiles(client, pr.info, { repo: pr.repo, include: [], exclude: [] });

    expect(collected.files).toEqual([]);
    expect(collected.related.map((f) => f.path)).toEqual(['c/templates/_helpers.tpl']);
  });
});
