import { describe, expect, it } from 'vitest';
import { lineHunks, suggestionsFor } from '../../src/action/suggestions.js';

describe('lineHunks', () => {
  it('finds replaced lines, keeping CRLF out of the comparison', () => {
    const before = 'a\r\nFROM nginx:1\r\nb\r\nFROM redis:7\r\n';
    const after = 'a\r\nFROM m/nginx:1@x\r\nb\r\nFROM m/redis:7@y\r\n';
    expect(lineHunks(before, after)).toEqual([
      { start: 2, end: 2, lines: ['FROM m/nginx:1@x'] },
      { start: 4, end: 4, lines: ['FROM m/redis:7@y'] },
    ]);
  });

  it('finds inserted lines', () => {
    const before = 'images:\n  - name: nginx\n    newTag: "1"\nx: 1\n';
    const after =
      'images:\n  - name: nginx\n    newTag: "1"\n    newName: m/nginx\n    digest: sha256:1\nx: 1\n';
    expect(lineHunks(before, after)).toEqual([
      { start: 4, end: 3, lines: ['    newName: m/nginx', '    digest: sha256:1'] },
    ]);
  });

  it('returns nothing for equal texts', () => {
    expect(lineHunks('a\nb\n', 'a\nb\n')).toEqual([]);
  });
});

describe('suggestionsFor', () => {
  it('anchors an insertion on the line above and repeats it', () => {
    const before = 'images:\n  - name: nginx\n    newTag: "1"\n';
    const after = 'images:\n  - name: nginx\n    newTag: "1"\n    digest: sha256:1\n';
    expect(suggestionsFor('k.yaml', before, after, 'm')).toEqual([
      { path: 'k.yaml', line: 3, replacement: '    newTag: "1"\n    digest: sha256:1', message: 'm' },
    ]);
  });

  it('spans multi-line replacements', () => {
    expect(suggestionsFor('f', 'a\nb\nc\nd\n', 'a\nB\nC\nd\n', 'm')).toEqual([
      { path: 'f', line: 3, startLine: 2, replacement: 'B\nC', message: 'm' },
    ]);
  });
});
