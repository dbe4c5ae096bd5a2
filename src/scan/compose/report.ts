/**
 * Turns one compose value (a service's `image`, a build arg) into an occurrence: interpolated by
 * the project's environment, judged, and placed where its text is, in the compose file or in the
 * env file that sets the variable when the whole image comes from one variable there.
 */
import { tryParseReference } from '../../reference/index.js';
import type { ImageReference } from '../../reference/types.js';
import { notMirroredReason } from '../placeholders.js';
import type { ImageOccurrence, OccurrenceKind, RewriteTarget, ScalarSpan } from '../types.js';
import { diagnose, quote, templateIn, type YamlScan } from '../yaml/scan.js';
import { type ComposeEnv, type EnvSource, envErrorText } from './env.js';
import { interpolateCompose } from './interpolate.js';
import { narrowTarget } from './parts.js';

/** A compose value and what resolving it needs. */
export interface ComposeValue {
  /** The scalar (or the part of one) that holds the text. */
  span: ScalarSpan;
  kind: OccurrenceKind;
  env: ComposeEnv;
}

/** Reports the image a compose value names, or a diagnostic saying why it cannot. */
export function reportComposeValue(scan: YamlScan, value: ComposeValue): void {
  const { span, env } = value;
  const text = span.value.trim();
  if (text === '') return;
  const line = scan.lines.positionAt(span.start).line;
  const result = interpolateCompose(text, env.lookup);
  if (!result.ok) {
    diagnose(scan, line, 'warning', `image ${quote(text)} ${unresolved(result, env)}`);
    return;
  }
  const reference = judge(scan, line, result.value);
  if (!reference) return;
  const source = result.whole === undefined ? undefined : env.source(result.whole);
  const occurrence = source
    ? envOccurrence(source, value.kind, reference)
    : composeOccurrence(scan, span, value.kind, reference);
  addOnce(scan, occurrence);
}

/** Parses an interpolated image, or reports why it is not one to mirror. */
export function judge(scan: YamlScan, line: number, text: string): ImageReference | undefined {
  if (text.includes('{{')) {
    diagnose(scan, line, 'warning', `image ${quote(text)} contains ${templateIn('{{')}`);
    return undefined;
  }
  const notMirrored = notMirroredReason(text);
  if (notMirrored) {
    diagnose(scan, line, 'notice', `image ${quote(text)} ${notMirrored}`);
    return undefined;
  }
  const parsed = tryParseReference(text);
  if (!parsed.ok) {
    diagnose(scan, line, 'warning', `invalid image reference ${quote(text)}: ${parsed.reason}`);
    return undefined;
  }
  return parsed.reference;
}

function unresolved(result: { variable: string; reason?: string }, env: ComposeEnv): string {
  if (env.error) return `needs variable ${result.variable}, but ${envErrorText(env.error)}`;
  if (result.reason) return `cannot be resolved: variable ${result.variable}: ${result.reason}`;
  const where = env.files.length > 0 ? ` and ${env.files.map((f) => f.file).join(', ')} does not set it` : '';
  return `needs variable ${result.variable}, which has no default here${where}`;
}

/**
 * The occurrence at the env file's value. A value written as is (no quotes or escapes changing
 * it, no variables) is rewritten there; one built from other variables is reported there but
 * cannot be rewritten.
 */
export function envOccurrence(
  source: EnvSource,
  kind: OccurrenceKind,
  reference: ImageReference,
  reason = `the value in ${source.env.file} is built from variables or escapes, which a rewrite would drop`,
): ImageOccurrence {
  const { env, entry } = source;
  const at = entry.literal ?? entry.text;
  const raw = env.content.slice(at.start, at.end);
  const target: RewriteTarget = entry.literal
    ? { type: 'scalar', scalar: { ...at, style: 'dotenv', value: raw }, prefix: '' }
    : { type: 'none', reason };
  return {
    file: env.file,
    kind,
    start: env.lines.positionAt(at.start),
    end: env.lines.positionAt(at.end),
    raw,
    reference,
    target,
  };
}

/** The occurrence in the compose file, narrowed to the part a rewrite can replace (parts.ts). */
function composeOccurrence(
  scan: YamlScan,
  span: ScalarSpan,
  kind: OccurrenceKind,
  reference: ImageReference,
): ImageOccurrence {
  let target: RewriteTarget = { type: 'scalar', scalar: span, prefix: '' };
  const narrowed = span.style.endsWith('-inner') ? undefined : narrowTarget(scan.content, span, reference);
  if (narrowed && (narrowed.type === 'scalar' || narrowed.type === 'name')) target = narrowed;
  const at = target.type === 'scalar' || target.type === 'name' ? target.scalar : span;
  return {
    file: scan.file,
    kind,
    start: scan.lines.positionAt(at.start),
    end: scan.lines.positionAt(at.end),
    raw: scan.content.slice(at.start, at.end),
    reference,
    target,
  };
}

/** Adds an occurrence unless the same place already names the same image. */
export function addOnce(scan: YamlScan, occurrence: ImageOccurrence): void {
  const same = scan.occurrences.some(
    (o) =>
      o.file === occurrence.file &&
      o.start.line === occurrence.start.line &&
      o.start.column === occurrence.start.column &&
      o.end.line === occurrence.end.line &&
      o.end.column === occurrence.end.column &&
      o.reference.registry === occurrence.reference.registry &&
      o.reference.repository === occurrence.reference.repository &&
      o.reference.tag === occurrence.reference.tag &&
      o.reference.digest === occurrence.reference.digest,
  );
  if (!same) scan.occurrences.push(occurrence);
}
