/**
 * The npm package as users get it: the CLI is bundled from the current source into a staging
 * copy of the package (dist/ in the work tree is left alone), packed with `npm pack`, installed
 * offline into an empty directory and run through `npx` and its bin link. It installs without
 * the network because the package has no runtime dependencies.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  dependencies?: Record<string, string>;
};
let dir: string;
let app: string;
let packed: { filename: string; files: { path: string }[] };

function run(command: string, args: string[], cwd: string) {
  const env = {
    ...process.env,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw result.error;
  return result;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-mirror-pack-'));
  const stage = join(dir, 'stage');
  mkdirSync(stage);
  for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'schema'])
    cpSync(join(root, file), join(stage, file), { recursive: true });
  const build = run(
    process.execPath,
    ['scripts/build.mjs', '--cli-only', '--out-dir', join(stage, 'dist')],
    root,
  );
  expect(build.stderr).toBe('');
  const pack = run('npm', ['pack', '--json', '--pack-destination', dir], stage);
  expect(pack.status).toBe(0);
  packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0]!;
  app = join(dir, 'app');
  mkdirSync(join(app, 'tree', 'deploy'), { recursive: true });
  writeFileSync(join(app, 'package.json'), '{"private": true}\n');
  writeFileSync(
    join(app, 'tree', 'Dockerfile'),
    'FROM node:20-alpine AS build\nFROM gcr.io/distroless/nodejs20\n',
  );
  writeFileSync(join(app, 'tree', 'deploy', 'cache.yaml'), 'services:\n  cache:\n    image: redis:7\n');
  writeFileSync(join(app, 'tree', 'deploy', 'compose.yaml'), 'services:\n  cache:\n    image: redis:7\n');
  const install = run('npm', ['install', join(dir, packed.filename)], app);
  expect({ status: install.status, stderr: install.stderr }).toEqual({ status: 0, stderr: '' });
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed npm package', () => {
  it('holds exactly the bundle (entry point and its chunks), the schema and the documents', () => {
    const paths = packed.files.map((file) => file.path).sort();
    const chunks = readdirSync(join(dir, 'stage', 'dist', 'cli-chunks')).map(
      (name) => `dist/cli-chunks/${name}`,
    );
    expect(chunks.length).toBeGreaterThan(1);
    expect(paths).toEqual(
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'dist/cli.js',
        ...chunks,
        'package.json',
        'schema/ar-mirror.schema.json',
      ].sort(),
    );
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('installs offline with nothing beside it: no runtime dependencies', () => {
    expect(readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'))).toEqual([
      'ar-mirror',
    ]);
  });

  it('ar-mirror --version prints the package version, defined at build time', () => {
    const result = run(join(app, 'node_modules', '.bin', 'ar-mirror'), ['--version'], app);

    expect({ status: result.status, stdout: result.stdout }).toEqual({
      status: 0,
      stdout: `ar-mirror ${pkg.version}\n`,
    });
  });

  it(`npx ar-mirror@VERSION scan runs the installed package over a tree`, () => {
    const result = run('npx', [`ar-mirror@${pkg.version}`, 'scan', 'tree', '--json'], app);

    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as {
      references: { file: string; image: string; thirdParty: boolean }[];
    };
    expect(report.references.map((r) => [r.file, r.image, r.thirdParty])).toEqual([
      ['tree/Dockerfile', 'docker.io/library/node:20-alpine', true],
      ['tree/Dockerfile', 'gcr.io/distroless/nodejs20:latest', false],
      // Compose files are recognised by content too (a top-level services map with images).
      ['tree/deploy/cache.yaml', 'docker.io/library/redis:7', true],
      ['tree/deploy/compose.yaml', 'docker.io/library/redis:7', true],
    ]);
  });

  it('loads the copy and migrate commands (undici, google-auth-library) from the bundle', () => {
    for (const command of ['copy', 'migrate']) {
      const result = run(join(app, 'node_modules', '.bin', 'ar-mirror'), [command, '--help'], app);

      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    }
  });
});
