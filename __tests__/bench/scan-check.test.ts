import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spanMismatches } from '../../bench/scan-check.js';

const root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-scan-check-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(path.join(root, 'a.yaml'), '\ufeffimage: nginx:1\nargs: |\n  x\n  y\n');

describe('spanMismatches', () => {
  it('accepts spans that hold their raw text, on one line or several, after a BOM', () => {
    const references = [
      { file: 'a.yaml', line: 1, column: 8, endLine: 1, endColumn: 15, raw: 'nginx:1' },
      { file: 'a.yaml', line: 2, column: 7, endLine: 4, endColumn: 4, raw: '|\n  x\n  y' },
    ];

    expect(spanMismatches(root, references)).toEqual([]);
  });

  it('names each span that does not, up to the limit', () => {
    const wrong = { file: 'a.yaml', line: 1, column: 9, endLine: 1, endColumn: 15, raw: 'nginx:1' };

    expect(spanMismatches(root, [wrong])).toEqual(['a.yaml:1:9: "ginx:1" is not "nginx:1"']);
    expect(spanMismatches(root, [wrong, wrong, wrong], 1)).toHaveLength(2);
  });
});
