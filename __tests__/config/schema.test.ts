import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  checkValue,
  generateConfigSchema,
  renderConfigSchema,
  SCHEMA_ID,
  typeSchema,
} from '../../src/config/schema.js';
import { SETTING_LIST } from '../../src/config/table.js';
import { FILE_KEYS, parseConfigFile, resolveSettings } from '../../src/config.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
// An independent implementation of JSON Schema: what editors and other tools will apply.
const ajvValidate = new Ajv({ strict: true, allErrors: true }).compile(generateConfigSchema());

/** The README's ```yaml blocks that are config files: their first line names the file or the schema. */
function readmeConfigExamples(): string[] {
  const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]!);
  return blocks.filter((block) =>
    /^# (\.github\/ar-mirror\.yml|yaml-language-server: \$schema=)/.test(block),
  );
}

/** The validator's verdict on a config file text: the file reader, then the settings it feeds. */
function validatorAccepts(text: string): boolean {
  try {
    // A file without a destination is fine: the action input gives it then.
    resolveSettings({}, { destination: 'x.io/p', ...parseConfigFile(text, 'ar-mirror.yml') });
    return true;
  } catch {
    return false;
  }
}

describe('schema/ar-mirror.schema.json', () => {
  it('is exactly what the settings table generates (run npm run build after changing a setting)', () => {
    const checkedIn = readFileSync(new URL('schema/ar-mirror.schema.json', root), 'utf8');

    expect(checkedIn).toBe(renderConfigSchema());
  });

  it('describes every config-file key of the table and nothing else, with its default', () => {
    const schema = generateConfigSchema();

    expect(Object.keys(schema.properties ?? {})).toEqual(FILE_KEYS);
    expect(schema.properties?.['registry-credentials']).toBeUndefined();
    expect(schema.properties?.mode?.default).toBe('commit');
    expect(schema.properties?.jobs).toMatchObject({ type: 'integer', minimum: 1, maximum: 64, default: 4 });
  });

  it('is what the README points editors at, and is published with the package', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { files: string[] };

    expect(readme).toContain(`# yaml-language-server: $schema=${SCHEMA_ID}`);
    expect(pkg.files).toContain('schema/ar-mirror.schema.json');
  });
});

describe('the schema and the validator agree', () => {
  const examples = readmeConfigExamples();

  it('finds the README config examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((text, index) => [index, text]))('accept README config example %i', (_index, text) => {
    expect([ajvValidate(parseYaml(text)), validatorAccepts(text)]).toEqual([true, true]);
  });

  it.each([
    'mode: push',
    'fail-on: warn',
    'pin-digest: "yes"',
    'pin-digest: "true"',
    'signatures: 1',
    'jobs: 0',
    'jobs: 65',
    'jobs: 2.5',
    'jobs: "8"',
    'platforms: [linux]',
    'platforms: linux',
    'platforms: linux/amd64, arm64',
    'ignore-images: [1]',
    'exclude: {vendor: true}',
    'destination: ""',
    'destination: [a.io/p]',
    'path-template: 7',
    'destinaton: us-docker.pkg.dev/p/r',
    'registry-credentials: "ghcr.io=bot:pw"',
    '- destination: us-docker.pkg.dev/p/r',
  ])('refuse %s', (text) => {
    expect([ajvValidate(parseYaml(text)), validatorAccepts(text)]).toEqual([false, false]);
  });

  it.each([
    'pin-digest: false\nplatforms: [linux/amd64, linux/arm/v7]\njobs: 64',
    'platforms: "linux/amd64, linux/arm64"\nexclude:\ninclude: "k8s/**"',
    'mode: report\nfail-on: never\nscan-all: true\ncreate-repository: true',
  ])('accept %j', (text) => {
    expect([ajvValidate(parseYaml(text)), validatorAccepts(text)]).toEqual([true, true]);
  });

  // The schema cannot express these; the validator refuses them (schema.ts says so in its header).
  it.each(['destination: nginx', 'exclude: ["k8s/{prod"]', 'include: ["!vendor/**"]'])(
    'only the validator refuses %s',
    (text) => {
      expect([ajvValidate(parseYaml(text)), validatorAccepts(text)]).toEqual([true, false]);
    },
  );

  it('the evaluator the file reader uses gives the same verdict as Ajv on any YAML-like value', () => {
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.boolean(),
        fc.integer({ min: -3, max: 70 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom('', 'linux/amd64', 'linux/arm/v7, linux/arm64', 'commit', 'report', 'linux', 'true'),
        fc.string(),
        fc.constant(null),
      ),
      any: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('leaf'), { maxLength: 3 })),
    })).any;
    const settings = SETTING_LIST.filter((setting) => setting.inFile !== false);
    const validators = settings.map((setting) => new Ajv({ strict: true }).compile(typeSchema(setting.type)));

    fc.assert(
      fc.property(fc.nat({ max: settings.length - 1 }), value, (index, candidate) => {
        expect(checkValue(typeSchema(settings[index]!.type), candidate)).toBe(validators[index]!(candidate));
      }),
      { numRuns: 2000 },
    );
  });
});
