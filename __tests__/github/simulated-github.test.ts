import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubServer } from '../support/github-server/index.js';
import { startGitHubServer } from '../support/github-server/index.js';
import type { Schema } from '../support/github-server/json-schema.js';
import { validateSchema } from '../support/github-server/json-schema.js';
import {
  findOperation,
  resolveRef,
  shapeResponse,
  validateResponse,
} from '../support/github-server/openapi.js';

// The simulated GitHub is only worth something if it rejects what GitHub would reject:
// these tests send it deliberately wrong requests and feed its validators wrong bodies.

let gh: GitHubServer;

beforeAll(async () => {
  gh = await startGitHubServer();
  await gh.createRepo('octo/app', { 'a.txt': 'a\n' });
  await gh.createPullRequest({ repo: 'octo/app', head: 'x', files: { 'a.txt': 'b\n' } });
});

afterAll(async () => {
  await gh.close();
});

afterEach(() => {
  gh.violations.splice(0);
});

async function send(method: string, path: string, body?: unknown, token = gh.token) {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('REST request validation', () => {
  it('answers a valid request without recording anything', async () => {
    const response = await send('GET', '/repos/octo/app/pulls/1/files?per_page=5');

    expect(response.status).toBe(200);
    expect(gh.violations).toEqual([]);
  });

  it('answers 404 to a path GitHub does not have and records it', async () => {
    const response = await send('GET', '/repos/octo/app/pull/1');

    expect(response.status).toBe(404);
    expect(gh.violations).toEqual(['GET /repos/octo/app/pull/1: no such GitHub endpoint']);
  });

  it('records an undeclared query parameter and a wrongly typed one', async () => {
    const response = await send('GET', '/repos/octo/app/pulls/1/files?per_page=many&limit=5');

    expect(response.status).toBe(500);
    expect(gh.violations).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files per_page: expected integer, got string "many"',
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files: undeclared query parameter "limit"',
    ]);
  });

  it('records a request body that breaks the operation schema', async () => {
    const response = await send('POST', '/repos/octo/app/pulls/1/reviews', {
      event: 'SUGGEST',
      comments: [{ path: 'a.txt', line: '1', body: 'x' }],
    });

    expect(response.status).toBe(500);
    expect(gh.violations).toEqual([
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews body.event: "SUGGEST" is not one of ["APPROVE","REQUEST_CHANGES","COMMENT"]',
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews body.comments[0].line: expected integer, got string "1"',
    ]);
  });

  it('records a real GitHub endpoint the simulator does not implement', async () => {
    const response = await send('GET', '/repos/octo/app/releases');

    expect(response.status).toBe(500);
    expect(gh.violations).toEqual(['repos/list-releases: not implemented by the simulated GitHub']);
  });

  it('refuses a wrong token with 401', async () => {
    const response = await send('GET', '/repos/octo/app/pulls/1', undefined, 'ghs_wrong');

    expect(response).toEqual({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    });
  });
});

describe('REST response validation', () => {
  const pullsGet = () => findOperation('GET', '/repos/o/r/pulls/7')!;

  it('finds the operation by path template', () => {
    expect({ id: pullsGet().operationId, params: pullsGet().pathParams }).toEqual({
      id: 'pulls/get',
      params: { owner: 'o', repo: 'r', pull_number: '7' },
    });
  });

  it('catches missing required fields and wrong types in a response body', () => {
    const problems = validateResponse(pullsGet(), 200, { id: 1, number: '7' });

    expect(problems).toContain(
      'GET /repos/{owner}/{repo}/pulls/{pull_number} → 200: missing required property "head"',
    );
    expect(problems).toContain(
      'GET /repos/{owner}/{repo}/pulls/{pull_number} → 200.number: expected integer, got string "7"',
    );
  });

  it('catches a wrong enum value even after completing the body to its full shape', () => {
    const operation = findOperation('GET', '/repos/o/r/pulls/1/files')!;

    const { problems } = shapeResponse(operation, 200, [
      { filename: 'a', status: 'moved', previous_filename: 'b' },
    ]);

    expect(problems).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/files → 200[0].status: "moved" is not one of ["added","removed","modified","renamed","copied","changed","unchanged"]',
    ]);
  });

  it('flags a status the operation does not declare', () => {
    expect(validateResponse(pullsGet(), 201, {})).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number} → 201: status not declared',
    ]);
  });
});

describe('GraphQL validation', () => {
  it('records a field the schema does not have', async () => {
    const response = await send('POST', '/graphql', { query: '{ viewer { loginName } }' });

    expect(response.status).toBe(500);
    expect(gh.violations).toEqual([
      'GraphQL: Cannot query field "loginName" on type "User". Did you mean "login"?',
    ]);
  });

  it('records variables that do not match the input type', async () => {
    const query =
      'mutation C($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }';

    const response = await send('POST', '/graphql', {
      query,
      variables: { input: { expectedHeadOid: 'abc' } },
    });

    expect(response.status).toBe(500);
    expect(gh.violations).toEqual([
      'GraphQL execution: Variable "$input" got invalid value { expectedHeadOid: "abc" }; Field "branch" of required type "CommittableBranch!" was not provided.',
      'GraphQL execution: Variable "$input" got invalid value { expectedHeadOid: "abc" }; Field "message" of required type "CommitMessage!" was not provided.',
    ]);
  });

  it('answers a stale expectedHeadOid like GitHub: HTTP 200, STALE_DATA, no commit', async () => {
    const query =
      'mutation C($input: CreateCommitOnBranchInput!) { createCommitOnBranch(input: $input) { commit { oid } } }';
    const input = {
      branch: { repositoryNameWithOwner: 'octo/app', branchName: 'x' },
      expectedHeadOid: '0123456789012345678901234567890123456789',
      message: { headline: 'h' },
      fileChanges: { additions: [{ path: 'b.txt', contents: 'Yg==' }] },
    };
    const head = await gh.branchHead('octo/app', 'x');

    const response = await send('POST', '/graphql', { query, variables: { input } });

    expect(response).toEqual({
      status: 200,
      body: {
        data: { createCommitOnBranch: null },
        errors: [
          {
            type: 'STALE_DATA',
            path: ['createCommitOnBranch'],
            locations: [{ line: 1, column: 50 }],
            message:
              'Expected branch to point to "0123456789012345678901234567890123456789" but it did not.  Pull and try again.',
          },
        ],
      },
    });
    expect(await gh.branchHead('octo/app', 'x')).toBe(head);
    expect(gh.violations).toEqual([]);
  });
});

describe('JSON-schema subset', () => {
  const components: Record<string, Schema> = {
    '#/components/schemas/user': {
      type: 'object',
      required: ['login'],
      properties: { login: { type: 'string' } },
    },
  };
  const resolve = (ref: string) => components[ref]!;

  it('follows $ref, honours nullable and checks items', () => {
    const schema = { type: 'array', items: { $ref: '#/components/schemas/user', nullable: true } };

    expect(
      validateSchema(
        { type: 'array', items: { $ref: '#/components/schemas/user' } },
        [{ login: 'a' }, {}],
        resolve,
      ),
    ).toEqual(['$[1]: missing required property "login"']);
    expect(
      validateSchema({ type: 'array', items: { type: 'object', nullable: true } }, [null], resolve),
    ).toEqual([]);
    expect(validateSchema(schema, [null], resolve)).toEqual(['$[0]: null is not allowed']);
  });

  it('requires exactly one oneOf alternative and at least one anyOf alternative', () => {
    const alternatives = [{ type: 'integer' }, { type: 'number' }];

    expect(validateSchema({ oneOf: alternatives }, 3, resolve)).toEqual([
      '$: matches 2 oneOf alternatives, expected exactly one',
    ]);
    expect(validateSchema({ oneOf: alternatives }, 3.5, resolve)).toEqual([]);
    expect(validateSchema({ anyOf: alternatives }, 3, resolve)).toEqual([]);
    expect(validateSchema({ anyOf: alternatives }, 'x', resolve)).toHaveLength(1);
  });

  it('merges allOf and rejects unknown properties only when additionalProperties is false', () => {
    const closed = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false };

    expect(validateSchema({ allOf: [closed, { required: ['a'] }] }, { b: 1 }, resolve)).toEqual([
      '$: unknown property "b"',
      '$: missing required property "a"',
    ]);
    expect(validateSchema({ type: 'object' }, { b: 1 }, resolve)).toEqual([]);
  });

  it('resolves the real document’s references', () => {
    expect(resolveRef('#/components/schemas/basic-error').title).toBe('Basic Error');
  });
});
