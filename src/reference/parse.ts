import { InvalidReferenceError } from '../errors.js';
import { quoteText } from '../util/quote.js';
import { digestProblem } from './digest.js';
import type { ImageReference } from './types.js';

// The distribution/reference grammar
// (https://github.com/distribution/reference/blob/main/regexp.go), written out piece by piece.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `(?:${domainComponent}(?:\\.${domainComponent})*|${ipv6})`;
const port = '[0-9]+';

const PATH = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
const DOMAIN = new RegExp(`^${domainName}(?::${port})?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const ANCHORED_HEX = /^[a-f0-9]{64}$/;

/** The longest repository path the grammar allows (without the domain). */
export const MAX_PATH_LENGTH = 255;

/** Docker Hub's canonical name in references and keychains; DOCKER_HUB_ALIASES lists its other names. */
export const DOCKER_HUB = 'docker.io';

/** Where Docker Hub's registry API really lives: `docker.io` answers no API requests. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/**
 * The one table of Docker Hub's other names (references, Docker config keys, credential
 * helpers), each of which means DOCKER_HUB.
 */
export const DOCKER_HUB_ALIASES: ReadonlySet<string> = new Set([
  'index.docker.io',
  DOCKER_HUB_API_HOST,
  'registry.hub.docker.com',
]);

/** Parses and normalises an image reference; throws InvalidReferenceError naming what is wrong. */
export function parseReference(raw: string): ImageReference {
  const result = tryParseReference(raw);
  if (!result.ok) throw new InvalidReferenceError(raw, result.reason);
  return result.reference;
}

export type ParseResult = { ok: true; reference: ImageReference } | { ok: false; reason: string };

/** Like parseReference but returns the reason instead of throwing (finders turn it into a diagnostic). */
export function tryParseReference(raw: string): ParseResult {
  if (raw === '') return fail('empty reference');
  if (/\s/.test(raw)) return fail('contains whitespace');

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    // The digest type the copy engine uses: registered algorithms with their exact hex lengths.
    const problem = digestProblem(digest);
    if (problem) return fail(problem);
  }

  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG.test(tag)) return fail(`tag ${quoteText(tag)} must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`);
  }

  const name = splitName(rest);
  if (!name.ok) return name;
  const { registry, path } = name;
  if (path.length > MAX_PATH_LENGTH)
    return fail(`repository path is longer than ${MAX_PATH_LENGTH} characters`);

  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return {
    ok: true,
    reference: {
      registry,
      repository,
      tag: tag ?? (digest ? undefined : 'latest'),
      digest,
    },
  };
}

function splitName(
  name: string,
): { ok: true; registry: string; path: string } | { ok: false; reason: string } {
  if (name === '') return fail('missing repository name');
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const isDomain =
    slash >= 0 &&
    (first.includes('.') || first.includes(':') || first === 'localhost' || /[A-Z]/.test(first));
  if (!isDomain) {
    if (ANCHORED_HEX.test(name)) return fail('a 64-character hex string is an image ID, not a name');
    if (!PATH.test(name)) return fail(pathProblem(name));
    return { ok: true, registry: DOCKER_HUB, path: name };
  }
  const path = name.slice(slash + 1);
  if (!DOMAIN.test(first)) return fail(`registry ${quoteText(first)} is not a valid host[:port]`);
  if (!PATH.test(path)) return fail(pathProblem(path));
  const lowerHost = first.toLowerCase();
  const registry = DOCKER_HUB_ALIASES.has(lowerHost) ? DOCKER_HUB : first;
  return { ok: true, registry, path };
}

function pathProblem(path: string): string {
  if (/[A-Z]/.test(path)) return `repository ${quoteText(path)} must be lowercase`;
  return `repository ${quoteText(path)} must be lowercase letters, digits and separators (. _ __ -) joined by /`;
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/** True for a repository path (without the domain) by the distribution grammar, at most MAX_PATH_LENGTH long. */
export function isRepositoryPath(text: string): boolean {
  return text.length <= MAX_PATH_LENGTH && PATH.test(text);
}

/** True for a tag by the distribution grammar (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
export function isTag(text: string): boolean {
  return TAG.test(text);
}
