/**
 * The unified diff `migrate --dry-run` prints: exact output for small cases, and GNU patch as the
 * oracle: applied to the old text, the diff always gives the new text (property test).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/rewrite/diff.js';

const work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Applies a diff to `before` with GNU patch (the oracle) and returns the patched text. */
function patchText(before: string, diff: string): string {
  const file = path.join(work, 'f');
  writeFileSync(file, before);
  if (diff === '') return before;
  writeFileSync(`${file}.diff`, diff);
  const run = spawnSync('patch', ['-p1', '--quiet', '--force', '-i', `${file}.diff`], {
    cwd: work,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`patch failed: ${run.stdout}${run.stderr}\n${diff}`);
  return readFileSync(file, 'utf8');
}

describe('unifiedDiff', () => {
  it('shows one changed line with three lines of context', () => {
    const before = 'a\nb\nc\nd\nimage: nginx:1\ne\nf\ng\nh\n';
    const after = before.replace('nginx:1', 'mirror/nginx:1');

    expect(unifiedDiff('k8s/web.yaml', before, after)).toBe(
      '--- a/k8s/web.yaml\n+++ b/k8s/web.yaml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-image: nginx:1\n+image: mirror/nginx:1\n e\n f\n g\n',
    );
  });

  it('joins nearby changes into one hunk, keeps far ones apart, and shows insertions', () => {
    const before = ['1', '2', 'x', '4', '5', '6', '7', '8', '9', '10', '11', 'y', '13'].join('\n') + '\n';
    const after = before.replace('x', 'X').replace('y\n', 'y\nadded\n');

    expect(unifiedDiff('f', before, after, { context: 1 })).toBe(
      '--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n 2\n-x\n+X\n 4\n@@ -12,2 +12,3 @@\n y\n+added\n 13\n',
    );
  });

  it('marks a last line without a line break, and shows nothing for equal texts', () => {
    expect(unifiedDiff('.env', 'A=nginx:1', 'A=mirror/nginx:1', { context: 0 })).toBe(
      '--- a/.env\n+++ b/.env\n@@ -1,1 +1,1 @@\n-A=nginx:1\n\\ No newline at end of file\n+A=mirror/nginx:1\n\\ No newline at end of file\n',
    );
    expect(unifiedDiff('f', 'same\n', 'same\n')).toBe('');
  });

  it('is applied by GNU patch to give the new text', () => {
    const before = 'FROM node:20\nRUN npm ci\n\nFROM nginx:1.27\nCOPY --from=0 /app /usr/share/nginx/html\n';
    const after = before
      .replace('node:20', 'mirror/node:20@sha256:abc')
      .replace('nginx:1.27', 'mirror/nginx:1.27');

    const patched = patchText(before, unifiedDiff('f', before, after));

    expect(patched).toBe(after);
  });

  it('turns any old text into the new text when GNU patch applies it (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'image: x', '', '  - y');
    const text = fc
      .array(line, { maxLength: 25 })
      .chain((lines) =>
        fc.boolean().map((eol) => (lines.length === 0 ? '' : lines.join('\n') + (eol ? '\n' : ''))),
      );
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 4 }), (before, after, context) => {
        const diff = unifiedDiff('f', before, after, { context });
        expect(patchText(before, diff)).toBe(after);
        expect(diff === '').toBe(before === after);
      }),
      { numRuns: 150 },
    );
  });
});
