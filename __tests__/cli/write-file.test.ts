/** migrate's file writes: exclusive random temporary names, and never through a symbolic link. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/commands/write-file.js';
import type { SourceFile } from '../../src/scan/discover.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ar-mirror-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sourceFile(name: string, content: string): SourceFile {
  const absolutePath = path.join(dir, name);
  return { file: name, absolutePath, content, bom: false, hasSibling: () => false };
}

describe('writeAtomically', () => {
  it('does not follow a link planted at the temporary name, and leaves it in place', () => {
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM a\n');
    writeFileSync(path.join(dir, 'victim'), 'precious\n');
    symlinkSync(path.join(dir, 'victim'), path.join(dir, 'Dockerfile.ar-mirror-fixed.tmp'));

    const problem = writeAtomically(sourceFile('Dockerfile', 'FROM a\n'), 'FROM b\n', 'fixed');

    expect(problem).toMatch(/^cannot write it: EEXIST/);
    expect(readFileSync(path.join(dir, 'victim'), 'utf8')).toBe('precious\n');
    expect(readFileSync(path.join(dir, 'Dockerfile'), 'utf8')).toBe('FROM a\n');
    expect(readdirSync(dir).sort()).toEqual(['Dockerfile', 'Dockerfile.ar-mirror-fixed.tmp', 'victim']);
  });

  it('refuses to replace a symbolic link with a file', () => {
    writeFileSync(path.join(dir, 'target.Dockerfile'), 'FROM a\n');
    symlinkSync(path.join(dir, 'target.Dockerfile'), path.join(dir, 'link.Dockerfile'));

    const problem = writeAtomically(sourceFile('link.Dockerfile', 'FROM a\n'), 'FROM b\n');

    expect(problem).toBe('it is a symbolic link; rewrite its target');
    expect(readFileSync(path.join(dir, 'target.Dockerfile'), 'utf8')).toBe('FROM a\n');
  });

  it('writes through a temporary file and leaves nothing behind', () => {
    writeFileSync(path.join(dir, 'compose.yaml'), 'image: a\n');

    const problem = writeAtomically(sourceFile('compose.yaml', 'image: a\n'), 'image: b\n');

    expect(problem).toBeUndefined();
    expect(readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toBe('image: b\n');
    expect(readdirSync(dir).filter((name) => name.startsWith('compose.yaml'))).toEqual(['compose.yaml']);
  });
});
