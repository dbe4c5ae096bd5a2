/**
 * listTree and readBlob: against the simulated GitHub (a real git repository), and against a
 * hostile server whose tree listing holds entries no file may come from.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { GitHubApiError } from '../../src/github/errors.js';
import { TREE_LIMIT } from '../support/github-server/branch-handlers.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server/index.js';

let gh: GitHubServer;

beforeAll(async () => {
  gh = await startGitHubServer();
});

afterAll(async () => {
  await gh.close();
});

const clientFor = (apiUrl: string, token = gh.token) =>
  createGitHubClient({ token, apiUrl, retries: 0, throttle: false });

describe('against the simulated GitHub', () => {
  it('lists the regular files of a commit with their blob ids and sizes, without links, and reads a blob', async () => {
    await gh.createRepo('octo/tree', { 'a/b.yaml': 'x: 1\n', 'run.sh': '#!/bin/sh\n' });
    const pr = await gh.createPullRequest({
      repo: 'octo/tree',
      head: 'feature',
      files: { 'c.yaml': 'y: 2\n' },
      symlinks: { 'link.yaml': 'a/b.yaml' },
    });
    const client = clientFor(gh.url);

    const tree = await client.listTree('octo/tree', pr.headSha);
    const bytes = await client.readBlob('octo/tree', tree.blobs.find((b) => b.path === 'a/b.yaml')!.sha);

    expect(tree.isTruncated).toBe(false);
    expect(tree.blobs.map((b) => [b.path, b.size])).toEqual([
      ['a/b.yaml', 5],
      ['c.yaml', 5],
      ['run.sh', 10],
    ]);
    expect(tree.blobs.every((b) => /^[0-9a-f]{40}$/.test(b.sha))).toBe(true);
    expect(Buffer.from(bytes).toString('utf8')).toBe('x: 1\n');
    expect(gh.violations).toEqual([]);
  });

  it('says when GitHub cut the listing', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.yaml`] = `n: ${i}\n`;
    const head = await gh.createRepo('octo/big', files);
    const limit = TREE_LIMIT.entries;
    TREE_LIMIT.entries = 2;
    try {
      const tree = await clientFor(gh.url).listTree('octo/big', head);

      expect([tree.blobs.length, tree.isTruncated]).toEqual([2, true]);
    } finally {
      TREE_LIMIT.entries = limit;
    }
  });
});

describe('against a hostile server', () => {
  let server: Server;
  let url: string;
  const requests: string[] = [];
  const sha = (c: string) => c.repeat(40);

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url?.includes('/git/trees/')) {
        const entry = (path: unknown, extra: Record<string, unknown> = {}) => ({
          path,
          mode: '100644',
          type: 'blob',
          sha: sha('a'),
          size: 3,
          ...extra,
        });
        const tree = [
          entry('ok.yaml'),
          entry('exec.sh', { mode: '100755' }),
          entry('link.yaml', { mode: '120000' }),
          entry('sub', { mode: '160000', type: 'commit' }),
          entry('dir', { mode: '040000', type: 'tree' }),
          entry('../escape.yaml'),
          entry('/abs.yaml'),
          entry('a//b.yaml'),
          entry('a/./b.yaml'),
          entry('nul\u0000.yaml'),
          entry(42),
          entry('badsha.yaml', { sha: 'zz' }),
          entry('negative.yaml', { size: -1 }),
          entry('fraction.yaml', { size: 1.5 }),
          'not an object',
          null,
        ];
        res.end(JSON.stringify({ sha: sha('b'), url: 'x', tree, truncated: false }));
        return;
      }
      res.end(
        JSON.stringify({ sha: sha('c'), size: 3, url: 'x', node_id: 'n', content: 'abc', encoding: 'rot13' }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps only well-formed regular files inside the repository', async () => {
    const tree = await clientFor(url, 'ghs_hostile').listTree('octo/x', sha('d'));

    expect(tree.blobs.map((b) => b.path)).toEqual(['ok.yaml', 'exec.sh']);
  });

  it('refuses a blob in an encoding it does not know, and an id that is not one without asking', async () => {
    const client = clientFor(url, 'ghs_hostile');
    const before = requests.length;

    await expect(client.readBlob('octo/x', sha('c'))).rejects.toThrow(/unexpected encoding "rot13"/);
    await expect(client.readBlob('octo/x', '../../etc')).rejects.toBeInstanceOf(GitHubApiError);
    expect(requests.length - before).toBe(1);
  });
});
