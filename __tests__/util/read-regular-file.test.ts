import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../src/util/read-regular-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ar-mirror-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRegularFile', () => {
  it('reads a regular file whole', () => {
    writeFileSync(path.join(dir, 'a'), 'FROM a\n');

    expect(readRegularFile(path.join(dir, 'a'), 100)).toEqual({ bytes: Buffer.from('FROM a\n') });
  });

  it('reads files of every size around its buffers whole, up to and at the cap', () => {
    const sizes = [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200_000];
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));

    for (const size of sizes) {
      writeFileSync(path.join(dir, `size-${size}`), bytes.subarray(0, size));

      expect(readRegularFile(path.join(dir, `size-${size}`), 200_000)).toEqual({
        bytes: bytes.subarray(0, size),
      });
    }
  });

  it('refuses a file over the cap before reading it', () => {
    writeFileSync(path.join(dir, 'big'), 'x'.repeat(101));

    expect(readRegularFile(path.join(dir, 'big'), 100)).toEqual({
      problem: 'skipped: 101 bytes is over the 100-byte limit',
      severity: 'warning',
    });
  });

  it('reads a file that reports no size (procfs) only up to the cap', () => {
    expect(readRegularFile('/proc/self/status', 10)).toEqual({
      problem: 'skipped: it is over the 10-byte limit',
      severity: 'warning',
    });
    expect('bytes' in readRegularFile('/proc/self/status', 64 * 1024)).toBe(true);
  });

  it('refuses devices and directories without reading them', () => {
    expect(readRegularFile('/dev/zero', 100)).toEqual({
      problem: 'skipped: a character device; only regular files are read',
      severity: 'warning',
    });
    expect(readRegularFile(dir, 100)).toEqual({
      problem: 'skipped: a directory; only regular files are read',
      severity: 'warning',
    });
  });

  it('refuses a FIFO without waiting for a writer', () => {
    // Only safe to run here because the guard holds: without it the open would block this worker.
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);

    expect(readRegularFile(path.join(dir, 'fifo'), 100)).toEqual({
      problem: 'skipped: a named pipe (FIFO); only regular files are read',
      severity: 'warning',
    });
  });

  it('still refuses a FIFO or a device by its descriptor when the caller saw a regular file', () => {
    execFileSync('mkfifo', [path.join(dir, 'fifo-2')]);

    expect(readRegularFile(path.join(dir, 'fifo-2'), 100, { seenRegular: true })).toEqual({
      problem: 'skipped: a named pipe (FIFO); only regular files are read',
      severity: 'warning',
    });
    expect(readRegularFile('/dev/zero', 100, { seenRegular: true })).toEqual({
      problem: 'skipped: a character device; only regular files are read',
      severity: 'warning',
    });
  });

  it('says why a missing file cannot be read', () => {
    expect(readRegularFile(path.join(dir, 'missing'), 100)).toEqual({
      problem: expect.stringMatching(/^cannot read: ENOENT/),
      severity: 'error',
    });
  });
});
