import { describe, expect, it } from 'vitest';
import { composeCommentBody } from '../../src/github/comment.js';
import { commentableLines, isRangeCommentable } from '../../src/github/diff-lines.js';
import { formatSuggestionBody } from '../../src/github/review.js';
import { HOSTILE, isInert } from '../support/hostile-markdown.js';

const patch = [
  '@@ -1,3 +1,4 @@',
  ' FROM alpine:3.19',
  '-RUN a',
  '+RUN b',
  '+RUN c',
  ' CMD x',
  '@@ -10,2 +11,2 @@ stage',
  '-old',
  '+new',
  ' tail',
  '\\ No newline at end of file',
].join('\n');

describe('commentableLines', () => {
  it('maps the head-side lines of each hunk (added and context, not removed) to the hunk', () => {
    expect([...commentableLines(patch)]).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [11, 1],
      [12, 1],
    ]);
  });

  it('has no commentable lines without a patch (binary or oversized diffs)', () => {
    expect(commentableLines(undefined).size).toBe(0);
  });
});

describe('isRangeCommentable', () => {
  const lines = commentableLines(patch);

  it('accepts ranges inside one hunk and refuses ranges that leave it or span two', () => {
    expect([
      isRangeCommentable(lines, 2, 4),
      isRangeCommentable(lines, 4, 4),
      isRangeCommentable(lines, 4, 5),
      isRangeCommentable(lines, 4, 11),
      isRangeCommentable(lines, 12, 11),
    ]).toEqual([true, true, false, false, false]);
  });
});

describe('formatSuggestionBody', () => {
  it('puts the message above a suggestion block', () => {
    expect(
      formatSuggestionBody({ path: 'a', line: 1, replacement: 'FROM m/x:1', message: 'Mirrored.' }),
    ).toBe('Mirrored.\n\n```suggestion\nFROM m/x:1\n```');
  });

  it('renders a message quoting hostile names from the files inert', () => {
    for (const text of HOSTILE) {
      const body = formatSuggestionBody({
        path: 'a',
        line: 1,
        replacement: 'x',
        message: `Mirrored; ${text}`,
      });
      const message = body.slice(0, body.indexOf('\n\n```suggestion'));
      expect(isInert(message), message).toBe(true);
      expect(message).not.toContain('\n');
    }
  });

  it('uses a longer fence when the replacement holds backticks', () => {
    expect(formatSuggestionBody({ path: 'a', line: 1, replacement: 'run: echo ```x```' })).toBe(
      '````suggestion\nrun: echo ```x```\n````',
    );
  });
});

describe('composeCommentBody', () => {
  it('puts the marker first and keeps short bodies whole', () => {
    expect(composeCommentBody('<!-- m -->', 'hello')).toBe('<!-- m -->\nhello');
  });

  it('cuts at a line end so the whole comment fits, and says so', () => {
    const body = ['row 1', 'row 2', 'x'.repeat(100)].join('\n');

    const composed = composeCommentBody('<!-- m -->', body, 116);

    expect(composed).toBe(
      '<!-- m -->\nrow 1\nrow 2\n\n_The rest of this report was cut to fit GitHub’s comment size limit; see the job summary._',
    );
    expect(composed.length).toBeLessThanOrEqual(116);
  });
});
