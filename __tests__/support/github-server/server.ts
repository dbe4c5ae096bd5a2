/**
 * The simulated GitHub: an in-process node:http server on 127.0.0.1 backed by a real git
 * repository. Every REST request and response is checked against GitHub's OpenAPI description
 * and every GraphQL document against GitHub's schema; anything off is recorded in `violations`
 * (tests assert it stays empty) and answered with 500, so a wrong client call fails loudly.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { branchHandlers } from './branch-handlers.js';
import { createCommitOnBranch } from './commit-resolver.js';
import { compareCommits } from './compare-handler.js';
import { GitStore } from './git-store.js';
import { runGraphql } from './graphql.js';
import { mergeHandlers } from './merge-handler.js';
import { findOperation, shapeResponse, validateRequest } from './openapi.js';
import { pullHandlers } from './pull-handlers.js';
import { updateRefs } from './refs-resolver.js';
import type { RestRequest, RestResponse } from './rest-handlers.js';
import { restHandlers } from './rest-handlers.js';
import { createReview, listReviewComments } from './review-handler.js';
import type { SimState } from './state.js';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path without the query, as sent (percent-encoding kept). */
  path: string;
  query: string;
  /** The operationId (`pulls/get`, ...) or `graphql`; undefined for unknown endpoints. */
  operation: string | undefined;
  status: number;
}

/** A hook that runs once, just before the server handles a matching request. */
export interface RequestHook {
  method?: string;
  /** The operationId (`pulls/get`) or `graphql`. */
  operation?: string;
  /** Fire on the n-th matching request (1-based). Default: 1. */
  nth?: number;
  run: () => Promise<void> | void;
}

const handlers: Record<string, (state: SimState, request: RestRequest) => Promise<RestResponse>> = {
  ...restHandlers,
  ...pullHandlers,
  ...branchHandlers,
  ...mergeHandlers,
  'pulls/create-review': createReview,
  'pulls/list-review-comments': listReviewComments,
  'repos/compare-commits-with-basehead': compareCommits,
};

/** The server side: routing, validation, recording. The test-facing API is in index.ts. */
export class SimulatedGitHub {
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly hooks: (RequestHook & { seen: number })[] = [];

  private constructor(
    readonly state: SimState,
    private readonly server: ReturnType<typeof createServer>,
    private readonly tempDir: string,
  ) {}

  /** Starts the server on a random port of 127.0.0.1. */
  static async start(token: string): Promise<SimulatedGitHub> {
    const tempDir = await mkdtemp(join(tmpdir(), 'sim-github-'));
    const store = await GitStore.create(tempDir);
    let id = 1000;
    const state: SimState = {
      store,
      baseUrl: '',
      token: {
        value: token,
        login: 'github-actions[bot]',
        permissions: { contents: 'write', pullRequests: 'write', workflows: false },
      },
      repos: new Map(),
      pulls: [],
      comments: [],
      reviews: [],
      nextId: () => {
        id += 1;
        return id;
      },
    };
    let sim: SimulatedGitHub | undefined;
    const server = createServer((req, res) => {
      sim!.handle(req, res).catch((err: unknown) => {
        sim!.violations.push(
          `simulator crashed on ${req.method} ${req.url}: ${err instanceof Error ? err.stack : err}`,
        );
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'simulator error' }));
      });
    });
    sim = new SimulatedGitHub(state, server, tempDir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return sim;
  }

  /** Registers a one-shot hook (see RequestHook). */
  addHook(hook: RequestHook): void {
    this.hooks.push({ ...hook, seen: 0 });
  }

  /** Stops the server and deletes the git repository. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.tempDir, { recursive: true, force: true });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.state.baseUrl);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const isGraphql = url.pathname === '/graphql' && method === 'POST';
    const operation = isGraphql ? undefined : findOperation(method, url.pathname);
    const operationId = isGraphql ? 'graphql' : operation?.operationId;
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.search,
      operation: operationId,
      status: 0,
    };
    this.requests.push(record);
    await this.runHooks(method, operationId);
    const answer = await this.answer(req, { url, method, raw, operation, isGraphql });
    record.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  private async runHooks(method: string, operationId: string | undefined): Promise<void> {
    for (const hook of [...this.hooks]) {
      if (hook.method !== undefined && hook.method !== method) continue;
      if (hook.operation !== undefined && hook.operation !== operationId) continue;
      hook.seen += 1;
      if (hook.seen !== (hook.nth ?? 1)) continue;
      this.hooks.splice(this.hooks.indexOf(hook), 1);
      await hook.run();
    }
  }

  /** Records contract violations and answers 500 (404 for endpoints GitHub does not have). */
  private fail(problems: string[], status = 500): RestResponse {
    this.violations.push(...problems);
    return {
      status,
      body: { message: `simulated GitHub rejected the exchange: ${problems.join('; ')}` },
    };
  }

  private async answer(
    req: IncomingMessage,
    call: {
      url: URL;
      method: string;
      raw: string;
      operation: ReturnType<typeof findOperation>;
      isGraphql: boolean;
    },
  ): Promise<RestResponse> {
    const auth = req.headers.authorization ?? '';
    if (auth !== `token ${this.state.token.value}` && auth !== `bearer ${this.state.token.value}`) {
      return {
        status: 401,
        body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
      };
    }
    let body: unknown;
    try {
      body = call.raw === '' ? undefined : JSON.parse(call.raw);
    } catch {
      return this.fail([`${call.method} ${call.url.pathname}: body is not JSON`]);
    }
    if (call.isGraphql) return this.answerGraphql(body as Record<string, unknown>);
    const { operation } = call;
    if (operation === undefined)
      return this.fail([`${call.method} ${call.url.pathname}: no such GitHub endpoint`], 404);
    const problems = validateRequest(operation, call.url.searchParams, body);
    if (problems.length > 0) return this.fail(problems);
    const handler = handlers[operation.operationId];
    if (handler === undefined)
      return this.fail([`${operation.operationId}: not implemented by the simulated GitHub`]);
    const request = {
      params: operation.pathParams,
      query: call.url.searchParams,
      body: body as Record<string, unknown>,
    };
    const response = await handler(this.state, request);
    const shaped = shapeResponse(operation, response.status, response.body);
    if (shaped.problems.length > 0) return this.fail(shaped.problems);
    return { ...response, body: shaped.body };
  }

  private async answerGraphql(body: Record<string, unknown> | undefined): Promise<RestResponse> {
    const state = this.state;
    const outcome = await runGraphql(body ?? {}, {
      query: { viewer: () => ({ login: state.token.login }) },
      mutation: {
        createCommitOnBranch: (args) => createCommitOnBranch(state, args.input as never),
        updateRefs: (args) => updateRefs(state, args.input as never),
      },
    });
    if (outcome.problems.length > 0) return this.fail(outcome.problems);
    return { status: 200, body: outcome.body };
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
