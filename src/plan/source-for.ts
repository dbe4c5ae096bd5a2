/**
 * The inverse of destinationFor: which source image a reference under the destination was
 * mirrored from (`DEST/docker.io/library/nginx:1.26` → `docker.io/library/nginx:1.26`). Back-fill
 * uses it to copy an image a pull request names in the mirror but the mirror lacks. Every
 * candidate is checked by mapping it forward again, so a template that loses information (no
 * `{registry}`, or only `{name}`) is refused instead of guessed. Pure.
 */
import { isThirdParty, tryParseReference } from '../reference/index.js';
import type { ImageReference } from '../reference/types.js';
import { DEFAULT_PATH_TEMPLATE, destinationFor, parseDestination } from './destination.js';
import type { DestinationSettings } from './types.js';

/** The source of a mirror reference, or why there is none. */
export type SourceResult = { ok: true; source: ImageReference } | { ok: false; reason: string };

type Token = { literal: string } | { variable: string };
type Assignment = Record<string, string>;

/** Matches explored per reference; a template needs a handful, this only bounds pathological ones. */
const MAX_STEPS = 20_000;

/**
 * The source `mirror` was copied from under `settings`, keeping its tag and digest. Fails when
 * the reference is not under the destination, when no source maps forward to exactly this path,
 * or when two different sources would (the template is ambiguous for this path).
 */
export function sourceFor(mirror: ImageReference, settings: DestinationSettings): SourceResult {
  const prefix = parseDestination(settings.destination);
  const template = settings.pathTemplate ?? DEFAULT_PATH_TEMPLATE;
  const where = prefix.path === '' ? prefix.host : `${prefix.host}/${prefix.path}`;
  const under = prefix.path === '' ? '' : `${prefix.path}/`;
  if (mirror.registry.toLowerCase() !== prefix.host || !mirror.repository.startsWith(under))
    return { ok: false, reason: `it is not under the destination ${where}` };
  const rendered = mirror.repository.slice(under.length);
  const sources = new Map<string, ImageReference>();
  for (const assignment of assignments(template, rendered)) {
    const source = candidate(assignment, mirror);
    if (source === undefined || !mapsTo(source, settings, mirror)) continue;
    sources.set(`${source.registry}/${source.repository}`, source);
  }
  if (sources.size === 0)
    return {
      ok: false,
      reason: `path-template "${template}" maps no source image to ${mirror.registry}/${mirror.repository}`,
    };
  if (sources.size > 1)
    return {
      ok: false,
      reason: `path-template "${template}" maps ${[...sources.keys()].sort().join(' and ')} both to ${mirror.registry}/${mirror.repository}`,
    };
  const source = [...sources.values()][0]!;
  if (!isThirdParty(source.registry, source.repository, [where]))
    return {
      ok: false,
      reason: `it maps back to ${source.registry}/${source.repository}, which is not a third-party image`,
    };
  return { ok: true, source };
}

/** Every way the template's variables can produce `path`, with `{namespace}` segments present or collapsed. */
function assignments(template: string, path: string): Assignment[] {
  const segments = template.split('/').filter((segment) => segment !== '');
  const variants = [segments];
  if (segments.includes('{namespace}')) variants.push(segments.filter((s) => s !== '{namespace}'));
  const found: Assignment[] = [];
  const budget = { steps: 0 };
  for (const [index, variant] of variants.entries()) {
    const fixed: Assignment = index === 1 ? { namespace: '' } : {};
    match(tokenize(variant.join('/')), 0, path, 0, fixed, found, budget);
  }
  return found;
}

function tokenize(template: string): Token[] {
  return template
    .split(/(\{[a-z]+\})/)
    .filter((part) => part !== '')
    .map((part) => (/^\{[a-z]+\}$/.test(part) ? { variable: part.slice(1, -1) } : { literal: part }));
}

/** Backtracking match of tokens against `path` from `pos`; pushes complete assignments. */
function match(
  tokens: Token[],
  index: number,
  path: string,
  pos: number,
  values: Assignment,
  found: Assignment[],
  budget: { steps: number },
): void {
  if (++budget.steps > MAX_STEPS) return;
  if (index === tokens.length) {
    if (pos === path.length) found.push({ ...values });
    return;
  }
  const token = tokens[index]!;
  if ('literal' in token) {
    if (path.startsWith(token.literal, pos))
      match(tokens, index + 1, path, pos + token.literal.length, values, found, budget);
    return;
  }
  for (let end = pos + 1; end <= path.length; end++) {
    const value = path.slice(pos, end);
    if (!fits(token.variable, value)) continue;
    const known = values[token.variable];
    if (known !== undefined && known !== value) continue;
    match(tokens, index + 1, path, end, { ...values, [token.variable]: value }, found, budget);
  }
}

/** One path segment for `{registry}` and `{name}`; whole segments for the others. */
function fits(variable: string, value: string): boolean {
  if (variable === 'registry' || variable === 'name') return !value.includes('/');
  return !value.startsWith('/') && !value.endsWith('/') && !value.includes('//');
}

/** The source a match describes, or undefined when it lacks the registry or the repository. */
function candidate(values: Assignment, mirror: ImageReference): ImageReference | undefined {
  if (values.registry === undefined) return undefined;
  const repository =
    values.repository ??
    values.path ??
    // `{name}` alone loses the namespace (`bitnami/redis` and `library/redis` share it): no guess.
    (values.name === undefined || values.namespace === undefined
      ? undefined
      : [values.namespace, values.name].filter(Boolean).join('/'));
  if (repository === undefined) return undefined;
  const suffix = `${mirror.tag === undefined ? '' : `:${mirror.tag}`}${mirror.digest === undefined ? '' : `@${mirror.digest}`}`;
  const host = registryHost(values.registry);
  const parsed = tryParseReference(`${host}/${repository}${suffix}`);
  if (!parsed.ok || parsed.reference.registry !== host) return undefined;
  return parsed.reference;
}

/**
 * The host a `{registry}` component stands for. registryPathComponent writes `host:port` as
 * `host-port`; a trailing `-<port>` is read back as a port (a registry host whose own name ends
 * in `-<digits>` cannot be told apart, and is documented as unsupported).
 */
function registryHost(component: string): string {
  const port = /^(.+)-(\d{1,5})$/.exec(component);
  if (port && Number(port[2]) > 0 && Number(port[2]) < 65536) return `${port[1]}:${port[2]}`;
  return component;
}

function mapsTo(source: ImageReference, settings: DestinationSettings, mirror: ImageReference): boolean {
  try {
    return destinationFor(source, settings) === `${mirror.registry.toLowerCase()}/${mirror.repository}`;
  } catch {
    return false;
  }
}
