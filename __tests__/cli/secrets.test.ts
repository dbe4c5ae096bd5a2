/**
 * Issue 7, rule 2 through the CLI (dist/cli.js as a child process): a source registry that sends
 * back the credentials it was given, in an error body or as the platform of a copied image, never
 * gets them printed by `copy` (stdout or stderr) or `migrate --json`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoMode, type EchoRegistry, startEchoRegistry } from '../support/echo-registry.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const CLI = path.resolve('dist/cli.js');

let destination: TestRegistry;
let work: string;
const opened: EchoRegistry[] = [];

beforeAll(async () => {
  destination = await startRegistry({ mode: 'none' });
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-secrets-'));
});

afterAll(async () => {
  await Promise.all([destination?.stop(), ...opened.map((r) => r.close())]);
  rmSync(work, { recursive: true, force: true });
});

async function echoRegistry(mode: EchoMode, auth: 'basic' | 'bearer'): Promise<EchoRegistry> {
  const registry = await startEchoRegistry({ mode, auth });
  opened.push(registry);
  return registry;
}

/** Every form of the registry's secrets that must never be printed. */
function secretForms(registry: EchoRegistry): string[] {
  const login = `${registry.username}:${registry.password}`;
  const basic = Buffer.from(login).toString('base64');
  return [registry.password, login, basic, basic.replace(/=+$/, ''), ...registry.tokens];
}

function cli(args: string[], cwd = work): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { PATH: process.env.PATH, HOME: work }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

function copy(registry: EchoRegistry) {
  return cli([
    'copy',
    `${registry.host}/lib/app:1`,
    `${destination.host}/copied/app:1`,
    '--plain-http',
    `${registry.host},${destination.host}`,
    '--src-creds',
    `${registry.username}:${registry.password}`,
  ]);
}

const AUTHS = ['basic', 'bearer'] as const;

describe('ar-mirror copy', () => {
  it.each(AUTHS)('prints no form of %s credentials a registry echoes in its error body', async (auth) => {
    const registry = await echoRegistry('echo-body', auth);

    const run = await copy(registry);

    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toMatch(/403 DENIED \(rejected (Basic|Bearer) \*\*\*/);
    expect(registry.tokens.length > 0).toBe(auth === 'bearer');
    for (const secret of secretForms(registry)) expect(run.stderr).not.toContain(secret);
  });

  it.each(AUTHS)('prints no form of %s credentials a registry echoes as a platform', async (auth) => {
    const registry = await echoRegistry('echo-platform', auth);

    const run = await copy(registry);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('platforms linux/amd64/***\n');
    for (const secret of secretForms(registry)) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});

describe('ar-mirror migrate --json', () => {
  it.each([
    ['echo-body', 'basic'],
    ['echo-body', 'bearer'],
    ['echo-platform', 'basic'],
  ] as const)('prints no form of the credentials (%s, %s)', async (mode, auth) => {
    const registry = await echoRegistry(mode, auth);
    const root = mkdtempSync(path.join(work, 'tree-'));
    writeFileSync(path.join(root, 'Dockerfile'), `FROM ${registry.host}/lib/app:1\n`);

    const run = await cli(
      [
        'migrate',
        '--to',
        `${destination.host}/mirror`,
        '--json',
        '--plain-http',
        `${registry.host},${destination.host}`,
        '--src-creds',
        `${registry.host}=${registry.username}:${registry.password}`,
      ],
      root,
    );

    const [image] = JSON.parse(run.stdout).images;
    if (mode === 'echo-body') expect(image.error).toMatch(/403 DENIED \(rejected (Basic|Bearer) \*\*\*/);
    else expect(image.platforms).toEqual(['linux/amd64/***']);
    for (const secret of secretForms(registry)) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});
