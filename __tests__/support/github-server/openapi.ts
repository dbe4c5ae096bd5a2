/**
 * GitHub's published REST description (`@octokit/openapi`, api.github.com): finds the operation
 * for a method and path, checks the request's path parameters, query and body against it, and
 * checks (and completes) response bodies against the operation's response schema.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Schema } from './json-schema.js';
import { fillRequired, validateSchema } from './json-schema.js';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
  'x-multi-segment'?: boolean;
}

/** One REST operation of the description, matched against a request. */
export interface Operation {
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/pulls/{pull_number}`. */
  template: string;
  operationId: string;
  pathParams: Record<string, string>;
  definition: Schema;
}

interface Document {
  paths: Record<string, Record<string, Schema>>;
  components: Record<string, Record<string, Schema>>;
}

let cached: Document | undefined;

function spec(): Document {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    cached = JSON.parse(readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8')) as Document;
  }
  return cached;
}

/** Resolves a local `#/components/<kind>/<name>` reference. */
export function resolveRef(ref: string): Schema {
  const match = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
  const found = match ? spec().components[match[1]!]?.[match[2]!] : undefined;
  if (found === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return found;
}

function deref<T>(node: T): T {
  const value = node as Schema;
  return (typeof value.$ref === 'string' ? resolveRef(value.$ref) : value) as T;
}

/** Finds the operation whose template matches `path` (most literal segments wins); undefined if none. */
export function findOperation(method: string, path: string): Operation | undefined {
  const segments = path.split('/').slice(1);
  let best: { operation: Operation; literals: number } | undefined;
  for (const [template, item] of Object.entries(spec().paths)) {
    const definition = item[method.toLowerCase()];
    if (definition === undefined) continue;
    const params = matchTemplate(template, segments, definition);
    if (params === undefined) continue;
    const literals = template.split('/').filter((part) => part !== '' && !part.startsWith('{')).length;
    if (best === undefined || literals > best.literals) {
      const operationId = String(definition.operationId);
      best = { operation: { method, template, operationId, pathParams: params, definition }, literals };
    }
  }
  return best?.operation;
}

function matchTemplate(
  template: string,
  segments: string[],
  definition: Schema,
): Record<string, string> | undefined {
  const parts = template.split('/').slice(1);
  const params: Record<string, string> = {};
  for (let index = 0; index < parts.length; index += 1) {
    const part = parts[index]!;
    const segment = segments[index];
    if (segment === undefined) return undefined;
    if (!part.startsWith('{')) {
      if (part !== segment) return undefined;
      continue;
    }
    const name = part.slice(1, -1);
    const multi = parameters(definition).find((p) => p.name === name)?.['x-multi-segment'] === true;
    if (multi && index === parts.length - 1) {
      params[name] = segments.slice(index).map(decodeURIComponent).join('/');
      return params;
    }
    params[name] = decodeURIComponent(segment);
  }
  return segments.length === parts.length ? params : undefined;
}

function parameters(definition: Schema): Parameter[] {
  return ((definition.parameters ?? []) as Schema[]).map((p) => deref(p) as unknown as Parameter);
}

/** Checks path parameters, query keys and values, and the JSON body against the operation. */
export function validateRequest(operation: Operation, query: URLSearchParams, body: unknown): string[] {
  const problems: string[] = [];
  const where = `${operation.method} ${operation.template}`;
  const declared = parameters(operation.definition);
  for (const param of declared) {
    const raw = param.in === 'path' ? operation.pathParams[param.name] : (query.get(param.name) ?? undefined);
    if (raw === undefined) {
      if (param.required === true) problems.push(`${where}: missing ${param.in} parameter "${param.name}"`);
      continue;
    }
    problems.push(
      ...validateSchema(param.schema, coerce(param.schema, raw), resolveRef, `${where} ${param.name}`),
    );
  }
  for (const key of query.keys()) {
    if (!declared.some((param) => param.in === 'query' && param.name === key)) {
      problems.push(`${where}: undeclared query parameter "${key}"`);
    }
  }
  const requestBody = operation.definition.requestBody as Schema | undefined;
  const schema = requestBody && jsonSchema(deref(requestBody));
  if (schema !== undefined) {
    if (body === undefined && (deref(requestBody!) as Schema).required === true)
      problems.push(`${where}: missing body`);
    else if (body !== undefined) problems.push(...validateSchema(schema, body, resolveRef, `${where} body`));
  } else if (body !== undefined) {
    problems.push(`${where}: takes no body`);
  }
  return problems;
}

function coerce(schema: Schema, raw: string): unknown {
  const type = deref(schema).type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function jsonSchema(container: Schema): Schema | undefined {
  const content = container.content as Record<string, { schema?: Schema }> | undefined;
  return content?.['application/json']?.schema;
}

function responseSchema(operation: Operation, status: number): Schema | undefined | 'undeclared' {
  const responses = operation.definition.responses as Record<string, Schema>;
  const response = responses[String(status)];
  if (response === undefined) return 'undeclared';
  return jsonSchema(deref(response));
}

/**
 * Completes `given` to the full shape of the operation's `status` response (see fillRequired),
 * then validates it. Returns the body and the problems found.
 */
export function shapeResponse(
  operation: Operation,
  status: number,
  given: unknown,
): { body: unknown; problems: string[] } {
  const where = `${operation.method} ${operation.template} → ${status}`;
  const schema = responseSchema(operation, status);
  if (schema === 'undeclared') return { body: given, problems: [`${where}: status not declared`] };
  if (schema === undefined) {
    return { body: given, problems: given === undefined ? [] : [`${where}: declares no JSON body`] };
  }
  const body = fillRequired(schema, given, resolveRef);
  return { body, problems: validateSchema(schema, body, resolveRef, where) };
}

/** Validates a response body as is, without completing it (used by the validator's own tests). */
export function validateResponse(operation: Operation, status: number, body: unknown): string[] {
  const schema = responseSchema(operation, status);
  const where = `${operation.method} ${operation.template} → ${status}`;
  if (schema === 'undeclared') return [`${where}: status not declared`];
  if (schema === undefined) return body === undefined ? [] : [`${where}: declares no JSON body`];
  return validateSchema(schema, body, resolveRef, where);
}
