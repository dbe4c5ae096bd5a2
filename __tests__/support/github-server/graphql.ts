/**
 * GitHub's published GraphQL schema (`@octokit/graphql-schema`), used to validate every document
 * the simulated GitHub receives and to execute it with the server's resolvers, so answers have
 * exactly the shape the schema allows. Errors carry GitHub's extra `type` field (STALE_DATA, ...).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, execute, parse, validate } from 'graphql';

let cached: GraphQLSchema | undefined;

function schema(): GraphQLSchema {
  if (cached === undefined) {
    // The package exports only its entry point; schema.graphql sits next to it.
    const root = dirname(fileURLToPath(import.meta.resolve('@octokit/graphql-schema')));
    cached = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'), { assumeValidSDL: true });
  }
  return cached;
}

/** An error a resolver throws to answer like GitHub: `type` is GitHub's error category. */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The root fields the server implements; each receives the field's arguments. */
export type RootResolvers = Record<string, (args: Record<string, unknown>) => unknown>;

/** What came of one GraphQL request. */
export interface GraphqlOutcome {
  /** The JSON body to send (always HTTP 200, as GitHub does for query errors). */
  body: { data?: unknown; errors?: unknown[] };
  /** Problems with the document or its variables: the client sent something GitHub would reject. */
  problems: string[];
}

/** Parses, validates against the schema and executes one request. */
export async function runGraphql(
  request: { query?: unknown; variables?: unknown },
  roots: { query: RootResolvers; mutation: RootResolvers },
): Promise<GraphqlOutcome> {
  if (typeof request.query !== 'string') {
    return { body: { errors: [{ message: 'A query attribute must be specified' }] }, problems: ['no query'] };
  }
  let document: ReturnType<typeof parse>;
  try {
    document = parse(request.query);
  } catch (err: unknown) {
    const message = err instanceof Error ? err.message : String(err);
    return { body: { errors: [{ message }] }, problems: [`GraphQL syntax: ${message}`] };
  }
  const invalid = validate(schema(), document);
  if (invalid.length > 0) {
    const messages = invalid.map((error) => error.message);
    return {
      body: { errors: messages.map((message) => ({ message })) },
      problems: messages.map((m) => `GraphQL: ${m}`),
    };
  }
  const isMutation = document.definitions.some(
    (definition) => definition.kind === 'OperationDefinition' && definition.operation === 'mutation',
  );
  const result = await execute({
    schema: schema(),
    document,
    rootValue: isMutation ? roots.mutation : roots.query,
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
  });
  const errors = (result.errors ?? []).map((error) => {
    const original = error.originalError;
    const type = original instanceof GitHubGraphqlError ? original.type : undefined;
    return {
      ...(type === undefined ? {} : { type }),
      path: error.path,
      locations: error.locations,
      message: error.message,
    };
  });
  // Errors that are not GitHub-style answers (bad variables, unimplemented fields) are the client's or the simulator's fault.
  const problems = (result.errors ?? [])
    .filter((error) => !(error.originalError instanceof GitHubGraphqlError))
    .map((error) => `GraphQL execution: ${error.message}`);
  return {
    body: {
      ...(result.data === undefined ? {} : { data: result.data }),
      ...(errors.length ? { errors } : {}),
    },
    problems,
  };
}
