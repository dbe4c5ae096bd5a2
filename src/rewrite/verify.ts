/**
 * The safety net of every rewrite: scan the new text again and prove that each edited
 * occurrence now resolves to exactly its intended reference, that every other occurrence is
 * unchanged, and that the file has no new diagnostics. Occurrences are matched by where they
 * start, mapped through the splices, so a splice that lands in the wrong place cannot pass.
 */
import type { Edit } from '../plan/types.js';
import { formatReference } from '../reference/index.js';
import type { ExtractResult, ImageOccurrence, Position } from '../scan/types.js';
import { effectiveReference } from './fields.js';
import { mapOffset, type Splice } from './splice.js';

/** Extracts occurrences from a file's text; the rewrite gets it as a parameter to stay pure. */
export type Extractor = (file: string, content: string) => ExtractResult;

/** What verifyRewrite compares. */
export interface VerifyInput {
  file: string;
  before: string;
  after: string;
  /** The merged splices that turned `before` into `after`. */
  splices: readonly Splice[];
  edits: readonly Edit[];
  extract: Extractor;
}

/** Ok, or the first thing that does not match, in words a reviewer can act on. */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Re-extracts `after` and compares it with what `before` plus the edits should give. */
export function verifyRewrite(input: VerifyInput): VerifyResult {
  const { file, before, after, splices, edits, extract } = input;
  const old = ownOccurrences(extract(file, before), file);
  const now = ownOccurrences(extract(file, after), file);

  const wanted = new Map(
    edits.map((edit) => [
      targetKey(edit.occurrence),
      formatReference(effectiveReference(edit.occurrence.target, edit.destination)),
    ]),
  );
  const known = new Set(old.occurrences.map(targetKey));
  for (const edit of edits) {
    if (!known.has(targetKey(edit.occurrence)))
      return fail(`${where(edit.occurrence.start)}: ${edit.occurrence.raw} is not in the file any more`);
  }

  const expected = old.occurrences.map(
    (occurrence): Expectation => ({
      key: `${mapOffset(anchor(occurrence, before), splices)}|${occurrence.kind}`,
      reference: wanted.get(targetKey(occurrence)) ?? formatReference(occurrence.reference),
      line: occurrence.start.line,
    }),
  );
  const matched = matchOccurrences(expected, now.occurrences, after);
  if (!matched.ok) return matched;
  return checkDiagnostics(old, now);
}

/**
 * A file's extraction keeps only what sits in the file itself: a compose file also reports the
 * images whose text lives in its `.env`, and their offsets belong to that other file.
 */
function ownOccurrences(result: ExtractResult, file: string): ExtractResult {
  const occurrences = result.occurrences.filter((occurrence) => occurrence.file === file);
  return occurrences.length === result.occurrences.length ? result : { ...result, occurrences };
}

interface Expectation {
  /** Anchor offset in the new text and kind. */
  key: string;
  reference: string;
  /** Line in the old text, for the message. */
  line: number;
}

/** Pairs each expectation with a re-scanned occurrence at the same place; fails on a mismatch or a leftover. */
function matchOccurrences(
  expected: Expectation[],
  occurrences: ImageOccurrence[],
  after: string,
): VerifyResult {
  const found = new Map<string, string[]>();
  for (const occurrence of occurrences) {
    const key = `${anchor(occurrence, after)}|${occurrence.kind}`;
    found.set(key, [...(found.get(key) ?? []), formatReference(occurrence.reference)]);
  }
  for (const item of expected) {
    const references = found.get(item.key) ?? [];
    const index = references.indexOf(item.reference);
    if (index < 0) {
      const got = references.length > 0 ? references.join(', ') : 'nothing';
      return fail(
        `line ${item.line} (as scanned before): expected ${item.reference}, the re-scan found ${got}`,
      );
    }
    references.splice(index, 1);
  }
  const extra = [...found.values()].flat();
  if (extra.length > 0) return fail(`the re-scan found unexpected references: ${extra.join(', ')}`);
  return { ok: true };
}

/** Fails when the new text has a diagnostic the old one did not (compared without line numbers, which move). */
function checkDiagnostics(old: ExtractResult, now: ExtractResult): VerifyResult {
  const remaining = old.diagnostics.map((d) => `${d.severity}: ${d.message}`);
  for (const diagnostic of now.diagnostics) {
    const text = `${diagnostic.severity}: ${diagnostic.message}`;
    const index = remaining.indexOf(text);
    if (index < 0) return fail(`the rewritten file has a new diagnostic at line ${diagnostic.line}: ${text}`);
    remaining.splice(index, 1);
  }
  return { ok: true };
}

/** Identifies what an edit changes: the scalar span, or the mapping of a fields target. */
function targetKey(occurrence: ImageOccurrence): string {
  const target = occurrence.target;
  if (target.type === 'scalar' || target.type === 'name')
    return `${target.type}:${target.scalar.start}:${target.scalar.end}`;
  if (target.type === 'fields') return `mapping:${target.mapping.start}`;
  return `none:${occurrence.start.line}:${occurrence.start.column}`;
}

/**
 * An offset that identifies the occurrence and that no splice of its own moves: a scalar's or a
 * name part's start (replacements start there), a mapping's start (fields are edited and appended after it), or the
 * start position for occurrences that are never edited.
 */
function anchor(occurrence: ImageOccurrence, content: string): number {
  const target = occurrence.target;
  if (target.type === 'scalar' || target.type === 'name') return target.scalar.start;
  if (target.type === 'fields') return target.mapping.start;
  return offsetOf(content, occurrence.start);
}

/** UTF-16 offset of a 1-based line/column position. */
export function offsetOf(content: string, position: Position): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = content.indexOf('\n', offset);
    if (next < 0) return content.length;
    offset = next + 1;
  }
  return offset + position.column - 1;
}

function where(position: Position): string {
  return `line ${position.line}`;
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}
