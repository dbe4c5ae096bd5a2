/**
 * Compose services that build their image. The service's `image` names what the build produces
 * (a notice and a declared build output, never a reference to mirror), and its `build.args` are
 * passed to the Dockerfile: an arg that feeds the Dockerfile's `FROM` decides the base image that
 * is pulled, so that image is reported where the arg's value is written (kind `compose-build-arg`).
 */
import path from 'node:path/posix';
import type { Node, YAMLMap } from 'yaml';
import { repositoryName, tryParseReference } from '../../reference/index.js';
import { type ArgImage, imagesWithBuildArgs } from '../dockerfile/build-args.js';
import type { ScalarSpan, ScalarStyle } from '../types.js';
import { isScalar } from '../yaml/guards.js';
import { asMap, getNode, getText, lookup, mapEntries, resolveNode, seqItems } from '../yaml/nodes.js';
import { diagnose, lineOf, quote, type YamlScan } from '../yaml/scan.js';
import { scalarSpan } from '../yaml/span.js';
import type { ComposeEnv } from './env.js';
import { interpolateCompose } from './interpolate.js';
import { addOnce, envOccurrence, judge, reportComposeValue } from './report.js';

/** One build arg: its value for the build, and where that value is written. */
interface BuildArg {
  name: string;
  value: string;
  /** The compose text of the value (the scalar, or the part after `=` of a list entry). */
  span?: ScalarSpan;
  /** False when `span` is the whole `NAME=value` scalar because the value alone has no exact span. */
  exact?: boolean;
  /** Set when the value comes from the environment (`- NAME`, `NAME:`): the variable. */
  fromEnv?: string;
}

const INNER: Partial<Record<ScalarStyle, ScalarStyle>> = {
  plain: 'plain-inner',
  double: 'double-inner',
  single: 'single-inner',
};

/** Reports a building service's `image` as a build output and its build args' base images. */
export function reportBuild(
  scan: YamlScan,
  service: { name: string; map: YAMLMap; build: unknown },
  env: ComposeEnv,
): void {
  declareOutput(scan, service, env);
  const project = scan.context?.project;
  const build = asMap(service.build, scan.doc);
  // Without args (`build: .`, most services) the Dockerfile is scanned as it is, on its own.
  if (!project || !build || !lookup(build, 'args', scan.doc)) return;
  const args = readArgs(scan, build, env);
  if (args.size === 0) return;
  const dockerfile = dockerfilePath(scan, service.build, env);
  const content = dockerfile === undefined ? undefined : project.read(dockerfile);
  if (dockerfile === undefined || content === undefined) return;
  const values = new Map([...args].map(([name, arg]) => [name, arg.value]));
  for (const image of imagesWithBuildArgs(content, values)) {
    reportArgImage(scan, { image, args, dockerfile, env });
  }
}

function declareOutput(scan: YamlScan, service: { name: string; map: YAMLMap }, env: ComposeEnv): void {
  const node = getNode(service.map, 'image', scan.doc);
  const span = isScalar(node) ? scalarSpan(node, scan.content) : undefined;
  if (!node || !span || scan.seen.has(span.start)) return;
  scan.seen.add(span.start);
  const text = span.value.trim();
  const line = lineOf(scan, node);
  const resolved = interpolateCompose(text, env.lookup);
  const parsed = resolved.ok ? tryParseReference(resolved.value) : undefined;
  if (parsed?.ok) {
    // A bare name (`adservice`) can only be a local build, wherever the repository uses it.
    const scope = resolved.ok && !resolved.value.includes('/') ? 'tree' : 'file';
    const via = `compose services.${service.name}.build`;
    const name = repositoryName(parsed.reference);
    // Compose tags the build with the whole reference: another tag of the name is another image.
    const { tag } = parsed.reference;
    const tagged = tag !== undefined && tag !== 'latest' ? { tag } : {};
    scan.buildOutputs.push({ name, ...tagged, file: scan.file, line, via, scope });
  }
  const message = `image ${quote(text)} names the image that services.${service.name}.build builds; not mirrored`;
  diagnose(scan, line, 'notice', message);
}

/** The Dockerfile a build reads, as a scan path; undefined for inline Dockerfiles. */
function dockerfilePath(scan: YamlScan, build: unknown, env: ComposeEnv): string | undefined {
  const node = resolveNode(build, scan.doc);
  const map = asMap(node, scan.doc);
  const contextText = map
    ? (getText(map, 'context', scan.doc) ?? '.')
    : isScalar(node)
      ? String(node.value)
      : '.';
  if (map && getNode(map, 'dockerfile_inline', scan.doc)) return undefined;
  const context = interpolateCompose(contextText, env.lookup);
  const file = interpolateCompose((map && getText(map, 'dockerfile', scan.doc)) ?? 'Dockerfile', env.lookup);
  if (!context.ok || !file.ok) return undefined;
  // A remote context (a Git or HTTP URL) or an absolute path names no file of the scan, so the
  // project lookup of the joined path finds nothing and the args are not followed.
  return path.normalize(path.join(path.dirname(scan.file), context.value, file.value));
}

/** The build args with a known value, by name (the last entry of a name wins, as in compose). */
function readArgs(scan: YamlScan, build: YAMLMap | undefined, env: ComposeEnv): Map<string, BuildArg> {
  const args = new Map<string, BuildArg>();
  const node = build && getNode(build, 'args', scan.doc);
  const map = asMap(node, scan.doc);
  const entries: { name: string; node: Node | undefined; inner?: boolean }[] = map
    ? mapEntries(map, scan.doc).map(({ key, value }) => ({ name: key, node: resolveNode(value, scan.doc) }))
    : seqItems(node, scan.doc).flatMap((item) => listEntry(item));
  for (const entry of entries) {
    const arg = readArg(scan, entry, env);
    if (arg) args.set(arg.name, arg);
  }
  return args;
}

function listEntry(item: Node): { name: string; node: Node; inner: true }[] {
  if (!isScalar(item) || typeof item.value !== 'string') return [];
  const equals = item.value.indexOf('=');
  return [
    { name: equals < 0 ? item.value.trim() : item.value.slice(0, equals).trim(), node: item, inner: true },
  ];
}

function readArg(
  scan: YamlScan,
  entry: { name: string; node: Node | undefined; inner?: boolean },
  env: ComposeEnv,
): BuildArg | undefined {
  const { name } = entry;
  const span = isScalar(entry.node) ? scalarSpan(entry.node, scan.content) : undefined;
  const text = span && entry.inner ? afterEquals(scan.content, span) : span;
  if (!text) {
    // `- NAME` or `NAME:` takes the value from the environment, here the env file.
    const found = env.lookup(name);
    return found && 'value' in found ? { name, value: found.value, fromEnv: name } : undefined;
  }
  const value = text === span && entry.inner ? text.value.slice(text.value.indexOf('=') + 1) : text.value;
  const resolved = interpolateCompose(value, env.lookup);
  if (!resolved.ok) return undefined;
  return { name, value: resolved.value, span: text, exact: !entry.inner || text !== span };
}

/**
 * The value part of a `NAME=value` list entry as its own span, when the scalar's source text is
 * exactly its value (so offsets in the value are offsets in the file); undefined for `NAME` alone.
 */
function afterEquals(content: string, span: ScalarSpan): ScalarSpan | undefined {
  const equals = span.value.indexOf('=');
  const style = INNER[span.style];
  if (equals < 0) return undefined;
  const from = span.style === 'plain' ? span.start : span.start + 1;
  // Escapes or folded lines: the value has no span of its own, so the whole entry stands for it.
  if (!style || content.slice(from, from + span.value.length) !== span.value) return span;
  const value = span.value.slice(equals + 1);
  return { start: from + equals + 1, end: from + equals + 1 + value.length, style, value };
}

interface ArgImageContext {
  image: ArgImage;
  args: ReadonlyMap<string, BuildArg>;
  dockerfile: string;
  env: ComposeEnv;
}

/** Reports one base image a build arg decides, where the arg's value is written. */
function reportArgImage(scan: YamlScan, { image, args, dockerfile, env }: ArgImageContext): void {
  const arg = args.get(image.wholeArg ?? image.args[0] ?? '');
  if (!arg) return;
  const line = arg.span ? scan.lines.positionAt(arg.span.start).line : 0;
  if ('problem' in image.image) {
    const message = `build arg ${arg.name} makes the FROM of ${dockerfile}:${image.line} ${quote(image.text)}: ${image.image.problem}`;
    diagnose(scan, line, 'warning', message);
    return;
  }
  const kind = 'compose-build-arg';
  if (image.wholeArg !== undefined && arg.span && arg.exact) {
    reportComposeValue(scan, { span: arg.span, kind, env });
    return;
  }
  const reference = judge(scan, line, image.text);
  if (!reference) return;
  const reason = `the image is the FROM of ${dockerfile}:${image.line} with build arg ${arg.name}; a rewrite changes the Dockerfile's own name`;
  // The text is in the env file when the arg takes a variable's value (`- NAME`, `NAME: ${NAME}`).
  const variable = arg.fromEnv ?? (arg.span && wholeVariable(arg.span.value, env));
  const source = variable === undefined ? undefined : env.source(variable);
  if (source) {
    const occurrence = envOccurrence(source, kind, reference, reason);
    if (image.wholeArg === undefined) occurrence.target = { type: 'none', reason };
    addOnce(scan, occurrence);
    return;
  }
  if (!arg.span) return;
  addOnce(scan, {
    file: scan.file,
    kind,
    start: scan.lines.positionAt(arg.span.start),
    end: scan.lines.positionAt(arg.span.end),
    raw: scan.content.slice(arg.span.start, arg.span.end),
    reference,
    target: { type: 'none', reason },
  });
}

/** The variable whose value a compose text is, when the text is exactly one interpolation of it. */
function wholeVariable(text: string, env: ComposeEnv): string | undefined {
  const resolved = interpolateCompose(text.trim(), env.lookup);
  return resolved.ok ? resolved.whole : undefined;
}
