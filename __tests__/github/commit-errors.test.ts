/**
 * createCommitOnBranch refusals in the shapes GitHub sends them besides the simulator's: a bare
 * FORBIDDEN for a change holding a workflow file, the workflow refusal as an HTTP error body, and
 * a moved branch named only by its message. A small local server answers each as configured.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { BranchMovedError, GitHubApiError, WorkflowPermissionError } from '../../src/github/errors.js';
import type { CommitRequest } from '../../src/github/types.js';

let server: Server;
let url: string;
let answer: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function commit(paths: string[]): Promise<unknown> {
  const client = createGitHubClient({ token: 'ghs_test', apiUrl: url, retries: 0, throttle: false });
  const request: CommitRequest = {
    repo: 'octo/app',
    branch: 'feature',
    expectedHeadOid: 'a'.repeat(40),
    headline: 'x',
    changes: paths.map((path) => ({ path, contents: 'x\n' })),
  };
  return client.commitFiles(request).catch((err: unknown) => err);
}

const forbidden = {
  data: { createCommitOnBranch: null },
  errors: [
    { type: 'FORBIDDEN', path: ['createCommitOnBranch'], message: 'Resource not accessible by integration' },
  ],
};

describe('commitFiles refusals', () => {
  it('takes a bare FORBIDDEN on a change with workflow files as the workflow refusal', async () => {
    answer = { status: 200, body: forbidden };

    const error = await commit(['Dockerfile', '.github/workflows/ci.yml']);

    expect(error).toBeInstanceOf(WorkflowPermissionError);
    expect((error as WorkflowPermissionError).paths).toEqual(['.github/workflows/ci.yml']);
  });

  it('leaves a bare FORBIDDEN on other files the error it is', async () => {
    answer = { status: 200, body: forbidden };

    const error = await commit(['Dockerfile']);

    expect(error).toBeInstanceOf(GitHubApiError);
    expect(error).not.toBeInstanceOf(WorkflowPermissionError);
  });

  it('reads the workflow refusal from an HTTP error body', async () => {
    const message =
      'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission';
    answer = { status: 422, body: { message, documentation_url: 'https://docs.github.com/graphql' } };

    const error = await commit(['.github/workflows/ci.yml']);

    expect(error).toBeInstanceOf(WorkflowPermissionError);
  });

  it('takes GitHub’s stale-head message without a type as a moved branch', async () => {
    const message = `Expected branch to point to "${'a'.repeat(40)}" but it did not. Pull and try again.`;
    answer = { status: 200, body: { data: { createCommitOnBranch: null }, errors: [{ message }] } };

    expect(await commit(['Dockerfile'])).toBeInstanceOf(BranchMovedError);
  });
});
