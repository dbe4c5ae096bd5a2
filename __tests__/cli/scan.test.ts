/**
 * `ar-mirror scan` end to end: the checked-in dist/cli.js runs as a child process over a small
 * tree (one file per format, plus files that must yield nothing or a diagnostic).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');
let root: string;

const files: Record<string, string> = {
  Dockerfile: 'ARG BASE=nginx:1.25\nFROM ${BASE} AS web\nFROM web\nCOPY --from=ghcr.io/acme/tool:1 /t /t\n',
  'bad.Dockerfile': 'FROM Nginx:1\n',
  'k8s/deploy.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - {name: a, image: "quay.io/x/y:2"}\n',
  'compose.yaml':
    'services:\n  db:\n    image: ${DB_IMAGE:-postgres:16}\n  app:\n    build: .\n    image: acme/app\n',
  '.github/workflows/ci.yml':
    'jobs:\n  t:\n    runs-on: x\n    container: node:20\n    steps:\n      - uses: docker://alpine:3.20\n',
  'mkdocs.yml': 'site_name: x\nimage: img/banner.png\n',
  'broken.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{image: nginx\n',
  'mirror/deploy.yaml':
    'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: a\n      image: us-docker.pkg.dev/p/r/nginx:1\n',
  'node_modules/x/Dockerfile': 'FROM evil\n',
};

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-cli-scan-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: root, input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ref = (fields: Record<string, unknown>) => ({ digest: null, thirdParty: true, ...fields });

describe('ar-mirror scan --json', () => {
  it('prints exactly one JSON object with every reference and diagnostic', () => {
    const { status, stdout } = run(['scan', '--json']);

    expect(status).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.references).toEqual([
      ref({
        file: '.github/workflows/ci.yml',
        line: 4,
        column: 16,
        endLine: 4,
        endColumn: 23,
        kind: 'workflow-container',
        raw: 'node:20',
        image: 'docker.io/library/node:20',
        registry: 'docker.io',
        repository: 'library/node',
        tag: '20',
      }),
      ref({
        file: '.github/workflows/ci.yml',
        line: 6,
        column: 15,
        endLine: 6,
        endColumn: 35,
        kind: 'workflow-step',
        raw: 'docker://alpine:3.20',
        image: 'docker.io/library/alpine:3.20',
        registry: 'docker.io',
        repository: 'library/alpine',
        tag: '3.20',
      }),
      ref({
        file: 'Dockerfile',
        line: 1,
        column: 10,
        endLine: 1,
        endColumn: 20,
        kind: 'dockerfile-from',
        raw: 'nginx:1.25',
        image: 'docker.io/library/nginx:1.25',
        registry: 'docker.io',
        repository: 'library/nginx',
        tag: '1.25',
      }),
      ref({
        file: 'Dockerfile',
        line: 4,
        column: 13,
        endLine: 4,
        endColumn: 32,
        kind: 'dockerfile-copy-from',
        raw: 'ghcr.io/acme/tool:1',
        image: 'ghcr.io/acme/tool:1',
        registry: 'ghcr.io',
        repository: 'acme/tool',
        tag: '1',
      }),
      ref({
        file: 'compose.yaml',
        line: 3,
        column: 24,
        endLine: 3,
        endColumn: 35,
        kind: 'compose',
        raw: 'postgres:16',
        image: 'docker.io/library/postgres:16',
        registry: 'docker.io',
        repository: 'library/postgres',
        tag: '16',
      }),
      ref({
        file: 'k8s/deploy.yaml',
        line: 7,
        column: 28,
        endLine: 7,
        endColumn: 43,
        kind: 'kubernetes',
        raw: '"quay.io/x/y:2"',
        image: 'quay.io/x/y:2',
        registry: 'quay.io',
        repository: 'x/y',
        tag: '2',
      }),
      ref({
        file: 'mirror/deploy.yaml',
        line: 6,
        column: 14,
        endLine: 6,
        endColumn: 43,
        kind: 'kubernetes',
        raw: 'us-docker.pkg.dev/p/r/nginx:1',
        image: 'us-docker.pkg.dev/p/r/nginx:1',
        registry: 'us-docker.pkg.dev',
        repository: 'p/r/nginx',
        tag: '1',
        thirdParty: false,
      }),
    ]);
    expect(
      report.diagnostics.map((d: { file: string; line: number; severity: string }) => [
        d.file,
        d.line,
        d.severity,
      ]),
    ).toEqual([
      ['bad.Dockerfile', 1, 'error'],
      ['broken.yaml', 5, 'error'],
      // The image a service builds is a build output, reported as a notice.
      ['compose.yaml', 6, 'notice'],
    ]);
    expect(report.diagnostics[0].message).toContain('"Nginx:1"');
  });

  it('reads a YAML stream from stdin', () => {
    const list =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  spec:\n    containers:\n    - image: redis:7\n      name: r\n';
    const { status, stdout } = run(['scan', '-', '--json'], list);

    expect(status).toBe(0);
    expect(JSON.parse(stdout).references).toEqual([
      ref({
        file: '-',
        line: 8,
        column: 14,
        endLine: 8,
        endColumn: 21,
        kind: 'kubernetes',
        raw: 'redis:7',
        image: 'docker.io/library/redis:7',
        registry: 'docker.io',
        repository: 'library/redis',
        tag: '7',
      }),
    ]);
  });

  it('refuses invalid UTF-8 on stdin with a diagnostic naming "-"', () => {
    const bytes = Buffer.concat([
      Buffer.from('kind: Pod\nspec:\n  containers:\n  - image: redis:7 # '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\n'),
    ]);

    const result = spawnSync(process.execPath, [CLI, 'scan', '-', '--json'], {
      cwd: root,
      input: bytes,
      encoding: 'utf8',
    });

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      references: [],
      diagnostics: [{ file: '-', line: 0, severity: 'warning', message: 'skipped: not valid UTF-8 text' }],
    });
  });

  it('classifies extra first-party registries', () => {
    const { stdout } = run(['scan', 'k8s', '--json', '--first-party', 'quay.io']);
    expect(JSON.parse(stdout).references.map((r: { thirdParty: boolean }) => r.thirdParty)).toEqual([false]);
  });

  it('prints a readable table by default', () => {
    const { status, stdout } = run(['scan', 'Dockerfile']);
    expect(status).toBe(0);
    expect(stdout).toBe(
      [
        'LOCATION         KIND                  SOURCE       IMAGE',
        'Dockerfile:1:10  dockerfile-from       third-party  docker.io/library/nginx:1.25',
        'Dockerfile:4:13  dockerfile-copy-from  third-party  ghcr.io/acme/tool:1',
        '2 image reference(s), 2 third-party, 0 diagnostic(s)',
        '',
      ].join('\n'),
    );
  });

  it('--exclude keeps the commas of a brace glob, and an unbalanced brace is a usage error naming the flag', () => {
    const kept = run(['scan', '--json', '--exclude', '{k8s,mirror}/**', '--exclude', 'compose.yaml']);
    const bad = run(['scan', '--exclude', 'k8s/{prod']);

    const files = new Set(JSON.parse(kept.stdout).references.map((r: { file: string }) => r.file));
    expect([...files].sort()).toEqual(['.github/workflows/ci.yml', 'Dockerfile']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'ar-mirror scan: --exclude: "k8s/{prod" has unbalanced braces; expected {a,b} pairs',
    );
  });

  it('exits 0 with one diagnostic on a 613-byte Dockerfile whose ARGs double 28 times (issue 7, rule 6)', () => {
    let dockerfile = 'ARG A0=abcdefghijklmnop\n';
    for (let i = 1; i <= 28; i++) dockerfile += `ARG A${i}=\${A${i - 1}}\${A${i - 1}}\n`;
    dockerfile += 'FROM ${A28}\n';
    const dir = mkdtempSync(path.join(root, 'doubling-'));
    writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);

    const result = spawnSync(process.execPath, [CLI, 'scan', '--json', dir], { cwd: root, encoding: 'utf8' });

    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).diagnostics).toEqual([
      {
        file: `${path.basename(dir)}/Dockerfile`,
        line: 30,
        severity: 'warning',
        message:
          'FROM "${A28}": variable A28 cannot be resolved: the value expands to more than 4096 characters; not reported',
      },
    ]);
  });

  it('exits 2 on usage errors', () => {
    expect(run(['scan', '--bogus']).status).toBe(2);
    expect(run(['scan', '-', 'x']).status).toBe(2);
    expect(run(['frobnicate']).status).toBe(2);
  });
});
