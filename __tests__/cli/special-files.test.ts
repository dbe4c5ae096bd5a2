/**
 * Issue 7, rule 9: special files named on the command line. dist/cli.js runs as a child process
 * with a time limit, so a hang fails the test instead of stopping the suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-special-'));
  execFileSync('mkfifo', [path.join(root, 'pipe.Dockerfile')]);
  symlinkSync('/dev/zero', path.join(root, 'zero.Dockerfile'));
  writeFileSync(path.join(root, 'real.Dockerfile'), 'FROM nginx:1.25\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    // A run that reads /dev/zero grows without end: a small heap makes it fail fast instead.
    env: { PATH: process.env.PATH, HOME: root, NODE_OPTIONS: '--max-old-space-size=256' },
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('special files named on the command line', () => {
  it('scan FIFO returns at once with a diagnostic', () => {
    const result = run(['scan', 'pipe.Dockerfile', 'real.Dockerfile']);

    expect([result.status, result.signal]).toEqual([0, null]);
    expect(result.stdout).toContain(
      'warning: pipe.Dockerfile: skipped: a named pipe (FIFO); only regular files are read\n',
    );
    expect(result.stdout).toContain('real.Dockerfile:1:6');
  });

  it('scan of a symbolic link to /dev/zero does not read it', () => {
    const result = run(['scan', '--json', 'zero.Dockerfile']);

    expect([result.status, result.signal]).toEqual([0, null]);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([
      {
        file: 'zero.Dockerfile',
        line: 0,
        severity: 'warning',
        message: 'skipped: a character device; only regular files are read',
      },
    ]);
  });

  it('migrate --dry-run with a FIFO and a device among its paths plans the regular file only', () => {
    const result = run([
      'migrate',
      'pipe.Dockerfile',
      'zero.Dockerfile',
      'real.Dockerfile',
      '--to',
      'us-docker.pkg.dev/p/r',
      '--dry-run',
    ]);

    expect([result.status, result.signal]).toEqual([0, null]);
    expect(result.stdout).toContain('real.Dockerfile:1:6');
    expect(result.stderr).toContain('pipe.Dockerfile: skipped: a named pipe (FIFO)');
  });
});
