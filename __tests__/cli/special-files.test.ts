/**
 * Issue 7, rule 9: special files named on the command line. dist/cli.js runs as a child process
 * with a time limit, so a hang fails the test instead of stopping the suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
  // A repository's env file that tries to make Node load code (Node.js 20 applies NODE_OPTIONS
  // from any --env-file argument it sees, even after the script name).
  writeFileSync(path.join(root, 'evil.cjs'), "require('fs').writeFileSync('EVIL_RAN', '')\n");
  writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  db:\n    image: ${DB_IMAGE}\n');
  writeFileSync(
    path.join(root, 'prod.env'),
    `NODE_OPTIONS=--require ${path.join(root, 'evil.cjs')}\nDB_IMAGE=postgres:16\n`,
  );
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

describe('compose env files named on the command line', () => {
  it('--compose-env-file resolves compose variables and never hands the file to Node', () => {
    const result = run(['scan', '--json', 'compose.yaml', '--compose-env-file', 'prod.env']);

    expect([result.status, existsSync(path.join(root, 'EVIL_RAN'))]).toEqual([0, false]);
    const found = JSON.parse(result.stdout).references as { file: string; image: string }[];
    expect(found.map((r) => [r.file, r.image])).toEqual([['prod.env', 'docker.io/library/postgres:16']]);
  });

  it('refuses the --env-file spelling, saying why', () => {
    const result = run(['scan', 'compose.yaml', '--env-file=prod.env']);

    expect([result.status, result.stderr]).toEqual([
      2,
      'ar-mirror: --env-file is spelled --compose-env-file: Node.js 20 reads any --env-file argument itself (and applies NODE_OPTIONS from it) before ar-mirror starts\n',
    ]);
    rmSync(path.join(root, 'EVIL_RAN'), { force: true });
  });
});
