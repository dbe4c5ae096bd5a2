/** migrate's file writes: exclusive random temporary names, and never through a symbolic link. */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

  // Root may give a file to anyone, so only a root run can tell whether the owner is kept.
  it.runIf(process.getuid?.() === 0)('keeps owner, group and set-ID mode bits (as root)', () => {
    const file = path.join(dir, 'owned.Dockerfile');
    writeFileSync(file, 'FROM a\n');
    chownSync(file, 12345, 23456);
    chmodSync(file, 0o2754);

    const problem = writeAtomically(sourceFile('owned.Dockerfile', 'FROM a\n'), 'FROM b\n');

    expect(problem).toBeUndefined();
    const after = statSync(file);
    expect([after.uid, after.gid, after.mode & 0o7777]).toEqual([12345, 23456, 0o2754]);
    expect(readFileSync(file, 'utf8')).toBe('FROM b\n');
  });

  it('refuses a FIFO swapped in for the file instead of waiting on it', () => {
    // Run only because the guard holds: without it the open would block this worker.
    const file = path.join(dir, 'swapped.Dockerfile');
    execFileSync('mkfifo', [file]);

    const problem = writeAtomically(sourceFile('swapped.Dockerfile', 'FROM a\n'), 'FROM b\n');

    expect(problem).toBe('the file changed on disk while ar-mirror ran');
  });
});
