import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, discoverFiles } from '../../src/scan/discover.js';

let root: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ar-mirror-discover-'));
  outside = mkdtempSync(path.join(tmpdir(), 'ar-mirror-outside-'));
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  };
  write('Dockerfile', 'FROM nginx\n');
  write('.github/workflows/ci.yml', 'jobs: {}\n');
  write('node_modules/x/Dockerfile', 'FROM evil\n');
  write('.git/Dockerfile', 'FROM evil\n');
  write('chart/Chart.yaml', 'name: c\n');
  write('chart/values.yaml', 'image: {}\n');
  write('bin/Dockerfile.bin', Buffer.from([0x46, 0x52, 0x00, 0x4d]));
  write('latin1/Dockerfile', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0x0a]));
  write('big/Dockerfile', 'x'.repeat(2048));
  write('bom/Dockerfile', '\uFEFFFROM alpine\n');
  write('README.md', '# not wanted\n');
  writeFileSync(path.join(outside, 'Dockerfile'), 'FROM secret\n');
  symlinkSync(path.join(outside, 'Dockerfile'), path.join(root, 'linked.Dockerfile'));
  symlinkSync(path.join(root, 'chart'), path.join(root, 'chart-link'));
  symlinkSync(path.join(root, 'chart/values.yaml'), path.join(root, 'values-link.yaml'));
  symlinkSync(root, path.join(root, 'loop'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const wanted = (file: string) => /(^|\/)(Dockerfile[^/]*|[^/]*\.Dockerfile|[^/]*\.ya?ml)$/.test(file);

describe('discoverFiles', () => {
  it('reads wanted files, skips VCS and dependency trees, and reports bad files', () => {
    const result = discoverFiles(['.'], { cwd: root, wanted, maxBytes: 1024 });

    expect(result.files.map((f) => f.file).sort()).toEqual([
      '.github/workflows/ci.yml',
      'Dockerfile',
      'bom/Dockerfile',
      'chart/Chart.yaml',
      'chart/values.yaml',
    ]);
    expect(result.diagnostics.sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      {
        file: 'big/Dockerfile',
        line: 0,
        severity: 'warning',
        message: 'skipped: 2048 bytes is over the 1024-byte limit',
      },
      { file: 'bin/Dockerfile.bin', line: 0, severity: 'notice', message: 'skipped: binary file' },
      { file: 'latin1/Dockerfile', line: 0, severity: 'warning', message: 'skipped: not valid UTF-8 text' },
      {
        file: 'linked.Dockerfile',
        line: 0,
        severity: 'warning',
        message: 'skipped: symbolic link points outside the scanned directory',
      },
      {
        file: 'values-link.yaml',
        line: 0,
        severity: 'notice',
        message: 'skipped: symbolic link (its target is scanned where it lives)',
      },
    ]);
  });

  it('strips a byte-order mark and remembers it, and knows siblings', () => {
    const result = discoverFiles(['bom', 'chart'], { cwd: root, wanted });
    const bom = result.files.find((f) => f.file === 'bom/Dockerfile')!;
    expect(bom.content).toBe('FROM alpine\n');
    expect(bom.bom).toBe(true);
    const values = result.files.find((f) => f.file === 'chart/values.yaml')!;
    expect(values.hasSibling('Chart.yaml')).toBe(true);
    expect(values.hasSibling('Chart.lock')).toBe(false);
  });

  it('reports paths relative to the working directory when it is inside or beside the scanned one', () => {
    const fromInside = discoverFiles(['..'], { cwd: path.join(root, 'chart'), wanted });
    const fromBeside = discoverFiles(['../chart'], { cwd: path.join(root, 'bom'), wanted });

    expect(fromInside.files.map((f) => f.file).sort()).toEqual([
      '../.github/workflows/ci.yml',
      '../Dockerfile',
      '../big/Dockerfile',
      '../bom/Dockerfile',
      'Chart.yaml',
      'values.yaml',
    ]);
    expect(fromBeside.files.map((f) => f.file)).toEqual(['../chart/Chart.yaml', '../chart/values.yaml']);
  });

  it('reads an explicitly named file and reports a missing one', () => {
    const result = discoverFiles(['README.md', 'missing.yaml'], { cwd: root, wanted });
    expect(result.files.map((f) => f.file)).toEqual(['README.md']);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ file: 'missing.yaml', severity: 'error' });
    expect(result.diagnostics[0]!.message).toMatch(/^cannot read: ENOENT/);
  });
});

describe('decodeText', () => {
  it('accepts UTF-8 and refuses NUL bytes', () => {
    expect(decodeText(Buffer.from('héllo'))).toEqual({ content: 'héllo', bom: false });
    expect(decodeText(Buffer.from([0x61, 0x00]))).toEqual({
      problem: 'skipped: binary file',
      severity: 'notice',
    });
  });
});
