/**
 * The mirror a platform command works against (`--to DEST` and its path template), and the
 * two directions between a source image and its mirror: forward with the planner's own
 * destinationFor, backward by matching the template and keeping only the sources that map
 * forward to the same repository (so a reading is never a guess).
 */
import { ConfigError } from '../errors.js';
import {
  DEFAULT_PATH_TEMPLATE,
  destinationFor,
  parseDestination,
  validatePathTemplate,
} from '../plan/destination.js';
import { DOCKER_HUB, tryParseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';

/** A validated mirror destination. */
export interface MirrorTarget {
  /** As given, without a trailing slash: `us-docker.pkg.dev/p/r`. */
  destination: string;
  /** Registry host, lower case. */
  host: string;
  /** The path under the host (may be empty). */
  path: string;
  pathTemplate: string;
}

/** Validates `--to` and `--path-template`; throws ConfigError naming them. */
export function parseMirrorTarget(destination: string, pathTemplate = DEFAULT_PATH_TEMPLATE): MirrorTarget {
  const prefix = parseDestination(destination);
  validatePathTemplate(pathTemplate);
  return {
    destination: `${prefix.host}${prefix.path ? `/${prefix.path}` : ''}`,
    host: prefix.host,
    path: prefix.path,
    pathTemplate,
  };
}

/** Where the mirror keeps `ref`: same tag and digest, mirror repository. */
export function mirrorReference(ref: ImageReference, target: MirrorTarget): ImageReference {
  const repository = destinationFor(ref, {
    destination: target.destination,
    pathTemplate: target.pathTemplate,
  });
  return { ...ref, registry: target.host, repository: repository.slice(target.host.length + 1) };
}

/** True when `ref` lives under the mirror's prefix. */
export function isInMirror(ref: ImageReference, target: MirrorTarget): boolean {
  if (ref.registry.toLowerCase() !== target.host) return false;
  return target.path === '' || ref.repository.startsWith(`${target.path}/`);
}

const PATTERNS: Record<string, string> = {
  registry: '([^/]+)',
  repository: '(.+)',
  path: '(.+)',
  name: '([^/]+)',
  namespace: '(.+)',
};

/**
 * The source a mirror reference was copied from (same tag and digest), or undefined when the
 * template cannot be read backwards (it has no `{registry}`) or nothing maps forward to it.
 */
export function sourceOf(mirror: ImageReference, target: MirrorTarget): ImageReference | undefined {
  if (!isInMirror(mirror, target) || !target.pathTemplate.includes('{registry}')) return undefined;
  const under = target.path === '' ? mirror.repository : mirror.repository.slice(target.path.length + 1);
  const names: string[] = [];
  const source = target.pathTemplate.replace(/\{([a-z]+)\}|[^{]+/g, (token, variable?: string) => {
    if (variable === undefined) return token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(variable);
    return PATTERNS[variable] ?? '()';
  });
  const match = new RegExp(`^${source}$`).exec(under);
  if (!match) return undefined;
  const value = (name: string) => (names.includes(name) ? match[names.indexOf(name) + 1] : undefined);
  const registryPart = value('registry') ?? '';
  for (const registry of registryCandidates(registryPart)) {
    for (const repository of repositoryCandidates(registry, value)) {
      const parsed = tryParseReference(`${registry}/${repository}:probe`);
      if (!parsed.ok || parsed.reference.repository !== repository) continue;
      const candidate: ImageReference = { ...mirror, registry: parsed.reference.registry, repository };
      if (forwardMatches(candidate, mirror, target)) return candidate;
    }
  }
  return undefined;
}

/** `127.0.0.1-5000` may have been `127.0.0.1:5000` (registryPathComponent turns `:` into `-`). */
function registryCandidates(part: string): string[] {
  const port = /^(.+)-(\d{1,5})$/.exec(part);
  return port ? [`${port[1]}:${port[2]}`, part] : [part];
}

function repositoryCandidates(registry: string, value: (name: string) => string | undefined): string[] {
  const repository = value('repository');
  if (repository !== undefined) return [repository];
  const path = value('path');
  if (path !== undefined)
    return registry === DOCKER_HUB && !path.includes('/') ? [`library/${path}`, path] : [path];
  const name = value('name');
  const namespace = value('namespace');
  if (name === undefined) return [];
  return [namespace ? `${namespace}/${name}` : name];
}

function forwardMatches(candidate: ImageReference, mirror: ImageReference, target: MirrorTarget): boolean {
  try {
    const forward = mirrorReference(candidate, target);
    return forward.registry === mirror.registry.toLowerCase() && forward.repository === mirror.repository;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}
