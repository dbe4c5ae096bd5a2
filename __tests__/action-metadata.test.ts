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
    expect(readme).toContain('uses: OWNER/ar-mirror@v1');
    expect(readme).toMatch(/uses: OWNER\/ar-mirror@[0-9a-f]{40} # v1\.\d+\.\d+/);
  });

  it('documents every input and output in the README tables', () => {
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) {
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
    }
  });
});
