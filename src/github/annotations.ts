/**
 * Workflow annotations as plain records (main.ts hands them to `core.warning`/`error`/`notice`).
 * GitHub shows at most 10 annotations of each level per step and drops the rest silently (log
 * warnings and the final `setFailed` error count too), so this keeps what fits and adds one
 * notice saying how many were left out.
 */
import type { ImageOccurrence } from '../scan/types.js';

/** An annotation's level, as the `core.error`/`warning`/`notice` commands take it. */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** One annotation, in the fields of `core.AnnotationProperties` plus level and message. */
export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  /** Repository-relative path; absent on the summary notice, which points at no file. */
  file?: string;
  startLine?: number;
  endLine?: number;
  /** Only set on single-line annotations: GitHub ignores columns across lines. */
  startColumn?: number;
  endColumn?: number;
}

/** GitHub displays at most this many annotations per level per step. Default of `limitAnnotations`. */
export const MAX_ANNOTATIONS_PER_LEVEL = 10;

/** Builds an annotation pointing at the exact text of an occurrence. */
export function annotateOccurrence(
  occurrence: ImageOccurrence,
  finding: { level: AnnotationLevel; title: string; message: string },
): Annotation {
  const { start, end } = occurrence;
  const isOneLine = start.line === end.line;
  return {
    level: finding.level,
    message: finding.message,
    title: finding.title,
    file: occurrence.file,
    startLine: start.line,
    endLine: end.line,
    ...(isOneLine ? { startColumn: start.column, endColumn: end.column } : {}),
  };
}

/** Options of `limitAnnotations`. */
export interface AnnotationLimits {
  /** Annotations shown per level. Default: MAX_ANNOTATIONS_PER_LEVEL. */
  max?: number;
  /**
   * Slots of each level the step has used or will use besides these annotations: warnings the
   * log already printed, and the error `core.setFailed` prints last. Default: none.
   */
  used?: Partial<Record<AnnotationLevel, number>>;
}

/**
 * Keeps the first annotations of each level that fit beside the slots already `used`, in order.
 * When any were dropped, the last notice slot goes to one summary notice (so the summary itself
 * is never dropped) naming how many of each level are only in the job summary.
 */
export function limitAnnotations(annotations: Annotation[], limits: AnnotationLimits = {}): Annotation[] {
  const max = limits.max ?? MAX_ANNOTATIONS_PER_LEVEL;
  const room = (level: AnnotationLevel) => Math.max(0, max - (limits.used?.[level] ?? 0));
  const total = countByLevel(annotations);
  const isOverflowing = (['error', 'warning', 'notice'] as const).some((level) => total[level] > room(level));
  const limit = {
    error: room('error'),
    warning: room('warning'),
    notice: isOverflowing ? Math.max(0, room('notice') - 1) : room('notice'),
  };
  const kept: Annotation[] = [];
  const seen = { error: 0, warning: 0, notice: 0 };
  for (const annotation of annotations) {
    seen[annotation.level] += 1;
    if (seen[annotation.level] <= limit[annotation.level]) kept.push(annotation);
  }
  if (!isOverflowing || room('notice') === 0) return kept;
  const dropped = (['error', 'warning', 'notice'] as const)
    .map((level) => ({ level, count: total[level] - Math.min(total[level], limit[level]) }))
    .filter((entry) => entry.count > 0)
    .map((entry) => `${entry.count} ${entry.level}${entry.count === 1 ? '' : 's'}`);
  kept.push({
    level: 'notice',
    title: 'More findings',
    message: `${dropped.join(', ')} not shown as annotations (GitHub shows ${max} per type); see the job summary.`,
  });
  return kept;
}

function countByLevel(annotations: Annotation[]): Record<AnnotationLevel, number> {
  const counts = { error: 0, warning: 0, notice: 0 };
  for (const annotation of annotations) counts[annotation.level] += 1;
  return counts;
}
