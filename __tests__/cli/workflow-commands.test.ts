/**
 * Issue 7, rule 3, for the CLI: run inside a GitHub Actions step (copy-matrix.yml and
 * migrate-matrix.yml print its output), no line of its output may start a workflow command.
 * A directory named like a command puts it at the start of a scan table row, and a file line
 * holding one appears in a `migrate --dry-run` diff.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inertToRunner } from '../../src/commands/io.js';

const CLI = path.resolve('dist/cli.js');
const FORGED_DIR = '::error title=Forged::pwned';
let root: string;

/** What the runner would read as a command: `::` after leading blanks, or `##[` anywhere. */
const commandLines = (text: string) =>
  text
    .split(/\r?\n|\r/)
    .filter((line) => line.replace(/^[\s\u0085]+/, '').startsWith('::') || line.includes('##['));

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-commands-'));
  mkdirSync(path.join(root, FORGED_DIR));
  writeFileSync(path.join(root, FORGED_DIR, 'Dockerfile'), 'FROM nginx:1.25\n');
  writeFileSync(
    path.join(root, 'deploy.yaml'),
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: a}',
      'spec:',
      '  containers:',
      '    - name: a',
      '      args:',
      '        - |',
      '          ::stop-commands::token',
      '          ##[add-mask]everything',
      '      image: redis:7',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: root, timeout: 30_000 }, (_err, stdout, stderr) =>
      resolve({ stdout, stderr }),
    );
  });
}

describe('CLI output in a workflow log', () => {
  it('scan: a row starting with a file name shaped like a command is inert', async () => {
    const { stdout } = await cli(['scan', '.']);

    expect(stdout).toContain('\\x3a:error title=Forged::pwned/Dockerfile:1:6');
    expect(commandLines(stdout)).toEqual([]);
  });

  it('scan --json keeps the file name exactly (JSON decodes the escapes)', async () => {
    const { stdout } = await cli(['scan', '--json', '.']);

    const files = (JSON.parse(stdout).references as { file: string }[]).map((r) => r.file).sort();
    expect(files).toEqual([`${FORGED_DIR}/Dockerfile`, 'deploy.yaml']);
  });

  it('migrate --dry-run: diff context lines holding commands are inert', async () => {
    const { stdout } = await cli(['migrate', 'deploy.yaml', '--to', 'us-docker.pkg.dev/p/r', '--dry-run']);

    expect(stdout).toContain('stop-commands');
    expect(commandLines(stdout)).toEqual([]);
  });

  it('sees through every leading space the runner trims (no-break, ideographic, next-line)', () => {
    for (const space of ['\u00a0', '\u3000', '\u0085', ' \t\u2003']) {
      const line = `${space}::error title=Forged::pwned`;

      expect(commandLines(inertToRunner(`ok\n${line}\n`))).toEqual([]);
    }
  });

  it('leaves text without a command unchanged, and keeps JSON values', () => {
    const json = JSON.stringify({ file: '##[add-mask]x', other: ':: not at a line start' });

    expect(inertToRunner('plain: text :: here\n  a::b\n')).toBe('plain: text :: here\n  a::b\n');
    expect(JSON.parse(inertToRunner(json))).toEqual(JSON.parse(json));
  });
});
