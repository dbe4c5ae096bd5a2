/**
 * Issue 7, rule 12: human output. Control characters in file names, image text and registry
 * answers are shown escaped in every table, line and warning (a name cannot forge a row or repaint
 * the terminal), rates under 1 KiB/s read as whole bytes, and progress never shows more done than
 * its total. The commands run as dist/cli.js child processes; the formatting helpers in process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProgress } from '../../src/commands/copy.js';
import { formatBytes } from '../../src/github/summary.js';
import { createStreamLogger } from '../../src/log.js';
import { createRedactor } from '../../src/secrets.js';
import { type EchoRegistry, startEchoRegistry } from '../support/echo-registry.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const CLI = path.resolve('dist/cli.js');
/** A file name that would forge a table row and clear the screen if printed raw. */
const EVIL = 'evil\nDockerfile:9:9  image  first-party  forged\x1b[2J\u202e.Dockerfile';
/** Anything a terminal would act on instead of showing. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

let root: string;
let destination: TestRegistry;
let registry: EchoRegistry;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-human-'));
  writeFileSync(path.join(root, EVIL), 'FROM nginx:1.25\n');
  writeFileSync(path.join(root, 'bad\x07.Dockerfile'), 'FROM Nginx:1\n');
  [destination, registry] = await Promise.all([
    startRegistry({ mode: 'none' }),
    startEchoRegistry({ mode: 'echo-platform', auth: 'none', variant: 'v8\x1b[31m\nforged' }),
  ]);
});

afterAll(async () => {
  await Promise.all([destination?.stop(), registry?.close()]);
  rmSync(root, { recursive: true, force: true });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: root }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

const ESCAPED_EVIL = 'evil\\nDockerfile:9:9  image  first-party  forged\\x1b[2J\\u202e.Dockerfile';

describe('control characters in human output', () => {
  it('scan shows a hostile file name escaped, on the one row and diagnostic it belongs to', async () => {
    const run = await cli(['scan', '.']);

    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^LOCATION +KIND +SOURCE +IMAGE$/),
      expect.stringMatching(
        new RegExp(
          `^${escapeRegExp(`${ESCAPED_EVIL}:1:6`)} +\\S+ +third-party +docker.io/library/nginx:1.25$`,
        ),
      ),
      expect.stringMatching(/^error: bad\\x07\.Dockerfile:1: .*Nginx:1/),
      '1 image reference(s), 1 third-party, 1 diagnostic(s)',
    ]);
  });

  it('migrate --dry-run shows it escaped in the plan table and in its warnings', async () => {
    const run = await cli(['migrate', '.', '--to', 'us-docker.pkg.dev/p/r', '--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stdout.split('\n')[1]).toMatch(new RegExp(`${escapeRegExp(`${ESCAPED_EVIL}:1:6`)}$`));
    // At the level scan prints it: an invalid reference is an error.
    expect(run.stderr).toMatch(/^error: bad\\x07\.Dockerfile:1: .*Nginx:1.*\n$/);
  });

  it('copy shows a hostile platform from the registry escaped', async () => {
    const run = await cli([
      'copy',
      `${registry.host}/lib/app:1`,
      `${destination.host}/copied/app:1`,
      '--plain-http',
      `${registry.host},${destination.host}`,
    ]);

    expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stdout + run.stderr).toContain('v8\\x1b[31m\\nforged');
  });

  it('the stream logger keeps each message on its one line', () => {
    const lines: string[] = [];
    const logger = createStreamLogger({ write: (line) => lines.push(line), redactor: createRedactor() });

    logger.warning('left unchanged: a\nwarning: forged\x1b[0m');

    expect(lines).toEqual(['warning: left unchanged: a\\nwarning: forged\\x1b[0m\n']);
  });
});

describe('numbers in human output', () => {
  it('prints a rate under 1 KiB/s in whole bytes', () => {
    expect([262.3955885692557, 0.4, 1023.6].map(formatBytes)).toEqual(['262 B', '0 B', '1024 B']);
  });

  it('never shows more done than the total', () => {
    const line = formatProgress(
      { phase: 'blobs', blobs: { done: 3, total: 2 }, bytes: { done: 4.8 * 1024 * 1024, total: 4.1 * 1024 } },
      2,
    );

    expect(line).toBe('blobs: blobs 3/3, 4.8 MiB of 4.8 MiB, 2.4 MiB/s');
  });

  it('shows a slow transfer as whole bytes per second', () => {
    const line = formatProgress(
      { phase: 'blobs', blobs: { done: 0, total: 1 }, bytes: { done: 524, total: 4096 } },
      2,
    );

    expect(line).toBe('blobs: blobs 0/1, 524 B of 4.0 KiB, 262 B/s');
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
