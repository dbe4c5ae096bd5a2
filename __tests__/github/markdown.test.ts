import { describe, expect, it } from 'vitest';
import {
  codeLink,
  codeSpan,
  fencedBlock,
  hiddenComment,
  inertText,
  isSafeUrl,
} from '../../src/github/markdown.js';
import { HOSTILE, isInert } from '../support/hostile-markdown.js';

/** Unescaped pipes: the ones a GFM table splits cells at. */
function cellSplits(line: string): number {
  return (line.match(/(?<!\\)\|/g) ?? []).length;
}

describe('inertText', () => {
  it('turns every hostile string into text GitHub renders literally', () => {
    for (const text of HOSTILE) {
      const rendered = inertText(text);
      expect(rendered, text).not.toContain('\n');
      expect(isInert(rendered), rendered).toBe(true);
      expect(cellSplits(rendered), rendered).toBe(0);
    }
  });

  it('escapes exactly: entities for HTML, backslashes for markdown, a zero-width space after @ # and ://', () => {
    expect(inertText('@org/team <b>x</b> [a](b) #1 http://e')).toBe(
      '@&#8203;org/team &lt;b&gt;x&lt;/b&gt; \\[a\\](b) \\#&#8203;1 http:&#8203;//e',
    );
    expect(inertText('a|b\nc')).toBe('a\\|b c');
    expect(['- x', '1. x', '    code', '# h'].map((line) => inertText(line))).toEqual([
      '\\- x',
      '1\\. x',
      'code',
      '\\#&#8203; h',
    ]);
  });

  it('keeps plain words readable and cuts long text', () => {
    expect(inertText('copied, committed')).toBe('copied, committed');
    expect(inertText('x'.repeat(600))).toHaveLength(500);
  });
});

describe('codeSpan', () => {
  it('fences longer than any backtick run, pads edge backticks, and flattens lines', () => {
    expect(codeSpan('nginx:1.27')).toBe('`nginx:1.27`');
    expect(codeSpan('a`b``c')).toBe('```a`b``c```');
    expect(codeSpan('`edge`')).toBe('`` `edge` ``');
    expect(codeSpan('a\nb')).toBe('`a b`');
    expect(codeSpan('')).toBe('`  `');
  });

  it('escapes pipes only in table cells', () => {
    expect(codeSpan('a|b', { table: true })).toBe('`a\\|b`');
    expect(codeSpan('a|b')).toBe('`a|b`');
  });

  it('keeps every hostile string inside one span', () => {
    for (const text of HOSTILE) {
      const span = codeSpan(text, { table: true });
      const fence = /^`+/.exec(span)![0];
      const inner = span.slice(fence.length, -fence.length);
      expect(inner.includes(fence), span).toBe(false);
      expect(span.endsWith(fence) && !span.endsWith(`${fence}\``), span).toBe(true);
      expect(cellSplits(span), span).toBe(0);
      expect(isInert(span), span).toBe(true);
    }
  });
});

describe('links, blocks and hidden comments', () => {
  it('links only safe http(s) URLs', () => {
    expect(codeLink('abc1234', 'https://github.test/o/r/commit/abc')).toBe(
      '[`abc1234`](https://github.test/o/r/commit/abc)',
    );
    expect(codeLink('abc1234', 'javascript:alert(1)')).toBe('`abc1234`');
    expect(codeLink('abc1234', 'https://e.example/a)(b')).toBe('`abc1234`');
    expect(isSafeUrl('https://e.example/x y')).toBe(false);
  });

  it('fences a block longer than any backtick run in it', () => {
    expect(fencedBlock('run: echo ```x```', 'suggestion')).toBe('````suggestion\nrun: echo ```x```\n````');
    expect(fencedBlock('plain')).toBe('```\nplain\n```');
  });

  it('refuses a hidden payload that could end the comment', () => {
    expect(hiddenComment('ar-mirror-state', 'e30=')).toBe('<!-- ar-mirror-state e30= -->');
    expect(() => hiddenComment('ar-mirror-state', '--> <img src=x>')).toThrow();
  });
});
