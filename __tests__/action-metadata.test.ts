/** action.yml, the settings and the README must agree: an input added in one place only is a bug. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SETTING_KEYS } from '../src/config.js';

const action = parse(readFileSync('action.yml', 'utf8')) as {
  name: string;
  description: string;
  author: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};
const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('action.yml', () => {
  it('declares every setting as an input (jobs is CLI/config only), plus the credential and config inputs', () => {
    const expected = [
      ...SETTING_KEYS.filter((key) => key !== 'jobs'),
      'github-token',
      'gcp-access-token',
      'config-file',
    ];
    expect(Object.keys(action.inputs).sort()).toEqual(expected.sort());
  });

  it('runs the bundled entry on node24 and declares the three outputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.outputs)).toEqual(['references', 'mirrored', 'commit-sha']);
  });

  it('carries Marketplace metadata: a distinctive name, a description of at most 125 characters, branding', () => {
    expect(action.name).toBe('ar-mirror - Artifact Registry image mirror');
    expect(action.description.length).toBeLessThanOrEqual(125);
    expect(action.author).not.toBe('');
    // Marketplace colours; the icon is one of the Feather icons GitHub accepts.
    expect(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']).toContain(
      action.branding.color,
    );
    expect(action.branding.icon).toBe('copy');
  });

  it('is used in the README the way released actions are: OWNER/ar-mirror@v1, and a full commit SHA explained', () => {
    // OWNER is replaced by the real account before the first release (see "Releasing").
    expect(readme).toMatch(/uses: [\w.-]+\/ar-mirror@v1\n/);
    expect(readme).toMatch(/uses: [\w.-]+\/ar-mirror@[0-9a-f]{40} # v1\.\d+\.\d+/);
  });

  it("pins the package's major version wherever users pin ar-mirror: action @vN, npx ar-mirror@N, image :N", () => {
    const major = pkg.version.split('.')[0];
    const texts = [
      'README.md',
      'docs/scale.md',
      '.github/workflows/copy-matrix.yml',
      '.github/workflows/migrate-matrix.yml',
    ]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    const pins = [
      ...[...texts.matchAll(/\/ar-mirror(?:\/\.github\/workflows\/[\w-]+\.yml)?@v(\d+)\b/g)].map(
        (m) => `@v${m[1]}`,
      ),
      ...[...texts.matchAll(/npx ar-mirror@(\d+)\b/g)].map((m) => `npx@${m[1]}`),
      ...[...texts.matchAll(/\/ar-mirror:(\d+)\b/g)].map((m) => `:${m[1]}`),
      ...[...texts.matchAll(/ar-mirror npm version to run\.\n\s+(?:[\w-]+: .*\n\s+)*default: "(\d+)"/g)].map(
        (m) => `version ${m[1]}`,
      ),
    ];

    expect(pkg.version).toMatch(/^[1-9]\d*\.\d+\.\d+$/);
    expect(new Set(pins)).toEqual(new Set([`@v${major}`, `npx@${major}`, `:${major}`, `version ${major}`]));
  });

  it('documents every input and output in the README tables', () => {
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) {
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    }
  });
});
