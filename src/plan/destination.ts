/**
 * Where a mirrored image lives: `DESTINATION/<rendered path template>`. The default template
 * `{registry}/{repository}` keeps provenance, so `docker.io/library/redis` and `quay.io/x/redis`
 * never land in the same repository.
 */
import { ConfigError } from '../errors.js';
import { tryParseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import type { DestinationSettings } from './types.js';

/** The layout used when no `path-template` is configured. */
export const DEFAULT_PATH_TEMPLATE = '{registry}/{repository}';

const VARIABLES = ['registry', 'repository', 'path', 'namespace', 'name'] as const;
type Variable = (typeof VARIABLES)[number];

/** A destination split into its registry host and the path prefix under it (may be empty). */
export interface DestinationPrefix {
  host: string;
  path: string;
}

/**
 * Validates `destination` (`host[:port][/path]`, the host recognisable as a registry by the
 * reference grammar: it contains `.` or `:` or is `localhost`). Throws ConfigError naming `destination`.
 */
export function parseDestination(destination: string): DestinationPrefix {
  const trimmed = destination.trim().replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const host = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const path = slash >= 0 ? trimmed.slice(slash + 1) : '';
  const probe = tryParseReference(`${trimmed}/probe`);
  if (!probe.ok || probe.reference.registry.toLowerCase() !== host.toLowerCase()) {
    const why = probe.ok ? 'it must start with a registry host' : probe.reason;
    throw new ConfigError(
      `destination "${destination}" is not a registry prefix (expected host[:port][/path], e.g. us-docker.pkg.dev/PROJECT/REPOSITORY): ${why}`,
    );
  }
  return { host: host.toLowerCase(), path };
}

/**
 * Turns a registry host into one path component: lowercase, `:` (the port separator) becomes
 * `-` (`localhost:5000` → `localhost-5000`) and IPv6 brackets are dropped. Hostnames cannot
 * hold `:`, so the mapping is only ambiguous with a host that already ends in `-<digits>`;
 * planCopies detects such collisions and refuses both images.
 */
export function registryPathComponent(registry: string): string {
  return registry
    .toLowerCase()
    .replace(/[[\]]/g, '')
    .replace(/:/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Checks a path template: only `{registry}`, `{repository}`, `{path}`, `{namespace}` and `{name}`
 * plus lowercase letters, digits, `.`, `_`, `-` and `/`; it must contain `{repository}`, `{path}`
 * or `{name}` (otherwise every image would share one repository). Throws ConfigError naming `path-template`.
 */
export function validatePathTemplate(template: string): void {
  const fail = (why: string): never => {
    throw new ConfigError(`path-template "${template}" is invalid: ${why}`);
  };
  const tokens = template.match(/\{[^}]*\}/g) ?? [];
  for (const token of tokens) {
    const name = token.slice(1, -1);
    if (!(VARIABLES as readonly string[]).includes(name))
      fail(`unknown variable ${token} (known: ${VARIABLES.map((v) => `{${v}}`).join(', ')})`);
  }
  const literal = template.replace(/\{[^}]*\}/g, '');
  if (/[^a-z0-9._/-]/.test(literal))
    fail('outside variables only lowercase letters, digits, ".", "_", "-" and "/" are allowed');
  if (!tokens.some((t) => t === '{repository}' || t === '{path}' || t === '{name}'))
    fail('it must contain {repository}, {path} or {name}');
}

/**
 * The repository (no tag, no digest) a source image is mirrored to, e.g.
 * `us-docker.pkg.dev/proj/repo/docker.io/library/redis`. Template variables:
 * `{registry}` path-safe source host (`localhost-5000`), `{repository}` full source path
 * (`library/redis`), `{path}` the path as usually written (Docker Hub's `library/` dropped),
 * `{namespace}` everything before the last component (may be empty; empty segments collapse),
 * `{name}` the last component. Default template: `{registry}/{repository}`.
 * Throws ConfigError naming `destination` or `path-template` when the result is not a valid reference.
 */
export function destinationFor(ref: ImageReference, settings: DestinationSettings): string {
  const prefix = parseDestination(settings.destination);
  const template = settings.pathTemplate ?? DEFAULT_PATH_TEMPLATE;
  validatePathTemplate(template);
  const rendered = renderTemplate(template, templateValues(ref));
  const path = [prefix.path, rendered].filter((part) => part !== '').join('/');
  const repository = `${prefix.host}/${path}`;
  const check = tryParseReference(`${repository}:probe`);
  if (!check.ok || check.reference.repository !== path)
    throw new ConfigError(
      `path-template "${template}" maps ${ref.registry}/${ref.repository} to "${repository}", which is not a valid repository: ${check.ok ? `it would be read as ${check.reference.registry}/${check.reference.repository}` : check.reason}`,
    );
  return repository;
}

function templateValues(ref: ImageReference): Record<Variable, string> {
  const parts = ref.repository.split('/');
  const name = parts[parts.length - 1] ?? '';
  const isOfficial = ref.registry === 'docker.io' && parts.length === 2 && parts[0] === 'library';
  return {
    registry: registryPathComponent(ref.registry),
    repository: ref.repository,
    path: isOfficial ? name : ref.repository,
    namespace: parts.slice(0, -1).join('/'),
    name,
  };
}

function renderTemplate(template: string, values: Record<Variable, string>): string {
  const text = template.replace(/\{([a-z]+)\}/g, (_match, variable: Variable) => values[variable]);
  // Empty variables ({namespace} of a one-component path) must not leave `//` or edge slashes.
  return text
    .split('/')
    .filter((segment) => segment !== '')
    .join('/');
}

/** Splits a mirrored repository (`host/path`) into registry and repository, for building references. */
export function splitRepository(repository: string): { registry: string; repository: string } {
  const slash = repository.indexOf('/');
  return { registry: repository.slice(0, slash), repository: repository.slice(slash + 1) };
}
