import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../src/github/annotations.js';
import { annotateOccurrence, limitAnnotations } from '../../src/github/annotations.js';
import { parseReference } from '../../src/reference/index.js';
import type { ImageOccurrence } from '../../src/scan/types.js';

function occurrence(start: [number, number], end: [number, number]): ImageOccurrence {
  return {
    file: 'deploy/app.yaml',
    kind: 'kubernetes',
    start: { line: start[0], column: start[1] },
    end: { line: end[0], column: end[1] },
    raw: 'nginx:1.27',
    reference: parseReference('nginx:1.27'),
    target: { type: 'none', reason: 'test' },
  };
}

function warning(n: number): Annotation {
  return { level: 'warning', title: 'w', message: `warning ${n}`, file: 'a', startLine: n, endLine: n };
}

describe('annotateOccurrence', () => {
  it('points at the exact columns of a one-line reference', () => {
    const finding = {
      level: 'warning' as const,
      title: 'Third-party image',
      message: 'nginx:1.27 is not mirrored',
    };

    expect(annotateOccurrence(occurrence([12, 16], [12, 26]), finding)).toEqual({
      level: 'warning',
      title: 'Third-party image',
      message: 'nginx:1.27 is not mirrored',
      file: 'deploy/app.yaml',
      startLine: 12,
      endLine: 12,
      startColumn: 16,
      endColumn: 26,
    });
  });

  it('leaves columns out across lines, where GitHub ignores them', () => {
    const annotation = annotateOccurrence(occurrence([3, 10], [5, 4]), {
      level: 'notice',
      title: 't',
      message: 'm',
    });

    expect(annotation).toEqual({
      level: 'notice',
      title: 't',
      message: 'm',
      file: 'deploy/app.yaml',
      startLine: 3,
      endLine: 5,
    });
  });
});

describe('limitAnnotations', () => {
  it('keeps everything when no level exceeds the limit', () => {
    const annotations = Array.from({ length: 10 }, (_, i) => warning(i));

    expect(limitAnnotations(annotations)).toEqual(annotations);
  });

  it('keeps 10 per level and adds one summary notice that takes the last notice slot', () => {
    const warnings = Array.from({ length: 13 }, (_, i) => warning(i));
    const notices = Array.from({ length: 10 }, (_, i): Annotation => ({ ...warning(i), level: 'notice' }));
    const error: Annotation = { ...warning(99), level: 'error' };

    const kept = limitAnnotations([...warnings, error, ...notices]);

    expect(kept).toEqual([
      ...warnings.slice(0, 10),
      error,
      ...notices.slice(0, 9),
      {
        level: 'notice',
        title: 'More findings',
        message:
          '3 warnings, 1 notice not shown as annotations (GitHub shows 10 per type); see the job summary.',
      },
    ]);
    expect(kept.filter((a) => a.level === 'notice')).toHaveLength(10);
  });

  it('leaves room for the warnings the log printed and the error of the failure', () => {
    const warnings = Array.from({ length: 10 }, (_, i) => warning(i));
    const errors = Array.from({ length: 10 }, (_, i): Annotation => ({ ...warning(i), level: 'error' }));

    const kept = limitAnnotations([...warnings, ...errors], { used: { warning: 2, error: 1 } });

    expect(kept).toEqual([
      ...warnings.slice(0, 8),
      ...errors.slice(0, 9),
      {
        level: 'notice',
        title: 'More findings',
        message:
          '1 error, 2 warnings not shown as annotations (GitHub shows 10 per type); see the job summary.',
      },
    ]);
  });
});
