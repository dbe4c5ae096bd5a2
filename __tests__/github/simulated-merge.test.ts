import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubServer } from '../support/github-server/index.js';
import { startGitHubServer } from '../support/github-server/index.js';

// Merging pull requests and moving refs in the simulated GitHub, as GitHub does them: the refresh
// tests rely on a squash merge leaving the head's commits out of the base, and on updateRefs'
// beforeOid refusing a ref that moved.

let gh: GitHubServer;

beforeAll(async () => {
  gh = await startGitHubServer();
  await gh.createRepo('octo/merge', { 'a.txt': 'a\n', 'b.txt': 'b\n' });
});

afterAll(async () => {
  await gh.close();
});

afterEach(() => {
  expect(gh.violations).toEqual([]);
});

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${gh.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', () => {
  it('squashes: one commit on the base with the base as its only parent, the pull request merged at its head', async () => {
    const pr = await gh.createPullRequest({ repo: 'octo/merge', head: 'sq', files: { 'a.txt': 'A\n' } });
    await gh.pushCommit('octo/merge', 'sq', { files: { 'c.txt': 'c\n' } });
    const head = await gh.branchHead('octo/merge', 'sq');
    const base = await gh.branchHead('octo/merge', 'main');

    const merged = await send('PUT', `/repos/octo/merge/pulls/${pr.number}/merge`, {
      merge_method: 'squash',
      sha: head,
    });
    await gh.pushCommit('octo/merge', 'sq', { files: { 'd.txt': 'after\n' } });
    const pull = await send('GET', `/repos/octo/merge/pulls/${pr.number}`);

    const main = await gh.commits('octo/merge', 'main', base);
    expect(merged).toEqual({
      status: 200,
      body: { sha: main[0]!.oid, merged: true, message: 'Pull Request successfully merged' },
    });
    expect(main.map((c) => [c.parents, c.message.trim()])).toEqual([[[base], `Change sq (#${pr.number})`]]);
    expect(await gh.branchFiles('octo/merge', 'main')).toEqual({
      'a.txt': 'A\n',
      'b.txt': 'b\n',
      'c.txt': 'c\n',
    });
    expect(pull.body).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: main[0]!.oid,
      head: { sha: head },
    });
    expect(pull.body.merged_at).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('merges with a two-parent commit by default, and refuses a merged pull request or a stale head', async () => {
    const pr = await gh.createPullRequest({ repo: 'octo/merge', head: 'mc', files: { 'b.txt': 'B\n' } });
    const base = await gh.branchHead('octo/merge', 'main');
    const head = await gh.branchHead('octo/merge', 'mc');

    const stale = await send('PUT', `/repos/octo/merge/pulls/${pr.number}/merge`, { sha: base });
    const merged = await send('PUT', `/repos/octo/merge/pulls/${pr.number}/merge`);
    const again = await send('PUT', `/repos/octo/merge/pulls/${pr.number}/merge`);

    expect(stale.status).toBe(409);
    expect(merged.status).toBe(200);
    expect((await gh.commits('octo/merge', 'main', base))[0]!.parents).toEqual([base, head]);
    expect(again).toMatchObject({ status: 405, body: { message: 'Pull Request is not mergeable' } });
  });

  it('answers a rebase merge like a repository that does not allow them', async () => {
    const pr = await gh.createPullRequest({ repo: 'octo/merge', head: 'rb', files: { 'e.txt': 'e\n' } });

    const response = await send('PUT', `/repos/octo/merge/pulls/${pr.number}/merge`, {
      merge_method: 'rebase',
    });

    expect(response.status).toBe(405);
    expect(gh.pulls('octo/merge').find((p) => p.number === pr.number)?.state).toBe('open');
  });
});

describe('GraphQL updateRefs', () => {
  const mutation = 'mutation R($input: UpdateRefsInput!) { updateRefs(input: $input) { clientMutationId } }';

  it('moves a branch with force only while it points at beforeOid', async () => {
    await gh.createPullRequest({ repo: 'octo/merge', head: 'reset', files: { 'f.txt': 'f\n' } });
    const branch = await gh.branchHead('octo/merge', 'reset');
    const main = await gh.branchHead('octo/merge', 'main');
    const repositoryId = (await send('GET', '/repos/octo/merge')).body.node_id;
    const update = (beforeOid: string) => ({
      query: mutation,
      variables: {
        input: {
          repositoryId,
          refUpdates: [{ name: 'refs/heads/reset', beforeOid, afterOid: main, force: true }],
        },
      },
    });

    const refused = await send('POST', '/graphql', update(main));
    const headAfterRefusal = await gh.branchHead('octo/merge', 'reset');
    const moved = await send('POST', '/graphql', update(branch));

    expect(refused.body.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE' })]);
    expect(headAfterRefusal).toBe(branch);
    expect(moved.body).toEqual({ data: { updateRefs: { clientMutationId: null } } });
    expect(await gh.branchHead('octo/merge', 'reset')).toBe(main);
  });

  it('refuses a move that is not a fast-forward without force', async () => {
    await gh.createPullRequest({ repo: 'octo/merge', head: 'noforce', files: { 'g.txt': 'g\n' } });
    const branch = await gh.branchHead('octo/merge', 'noforce');
    const main = await gh.branchHead('octo/merge', 'main');
    const repositoryId = (await send('GET', '/repos/octo/merge')).body.node_id;

    const response = await send('POST', '/graphql', {
      query: mutation,
      variables: { input: { repositoryId, refUpdates: [{ name: 'refs/heads/noforce', afterOid: main }] } },
    });

    expect(response.body.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE' })]);
    expect(await gh.branchHead('octo/merge', 'noforce')).toBe(branch);
  });
});
