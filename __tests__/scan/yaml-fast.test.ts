/**
 * Differential tests of the fast block-YAML parser against the `yaml` package: whatever the fast
 * parser accepts must give the same nodes (class, value, source, style, range[0..1], order) as
 * `yaml`, and every YAML finder must report the same occurrences and diagnostics with the fast path
 * on and off. Inputs: every YAML fixture, every template string in the test suite, generated
 * block-YAML streams and single-character mutations of all of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { extractCloudBuild } from '../../src/scan/cloudbuild/extract.js';
import { extractCompose } from '../../src/scan/compose/extract.js';
import { extractHelmValues } from '../../src/scan/helm/extract.js';
import { extractKubernetes } from '../../src/scan/kubernetes/extract.js';
import { extractKustomize } from '../../src/scan/kustomize/extract.js';
import { extractAction, extractWorkflow } from '../../src/scan/workflows/extract.js';
import type * as fastParse from '../../src/scan/yaml/fast-parse.js';
import { parseWithYaml } from '../../src/scan/yaml/parse.js';
import { extractYamlStream } from '../../src/scan/yaml/stream.js';
import { mutate, streamArbitrary } from '../support/block-yaml.js';

// The reference run turns the fast path off, leaving `yaml` as the only parser.
const fastPath = vi.hoisted(() => ({ enabled: true }));
vi.mock('../../src/scan/yaml/fast-parse.js', async (importOriginal) => {
  const original = await importOriginal<typeof fastParse>();
  return { parseBlockYaml: (text: string) => (fastPath.enabled ? original.parseBlockYaml(text) : undefined) };
});
const { parseBlockYaml } = await vi.importActual<typeof fastParse>('../../src/scan/yaml/fast-parse.js');

const finders = {
  extractKubernetes,
  extractCompose,
  extractWorkflow,
  extractAction,
  extractCloudBuild,
  extractKustomize,
  extractHelmValues,
  extractYamlStream,
};

/** What the finders read of a node; range[2] is left out (see fast-parse.ts). */
function project(node: unknown): unknown {
  if (isPair(node)) return { key: project(node.key), value: project(node.value) };
  if (isMap(node) || isSeq(node)) {
    const { anchor, tag, flow } = node;
    return {
      class: isMap(node) ? 'map' : 'seq',
      range: node.range?.slice(0, 2),
      anchor,
      tag,
      flow,
      items: node.items.map(project),
    };
  }
  if (isScalar(node)) {
    const { value, source, type, anchor, tag, format } = node;
    return {
      class: 'scalar',
      range: node.range?.slice(0, 2),
      value,
      source,
      type,
      anchor,
      tag,
      format,
      minFractionDigits: node.minFractionDigits,
    };
  }
  if (isAlias(node)) return { class: 'alias' };
  return node;
}

/** Asserts agreement on one input; returns whether the fast parser took it. */
function checkInput(text: string): boolean {
  const fast = parseBlockYaml(text);
  if (fast) {
    const reference = parseWithYaml(text, 'f.yaml');
    expect(reference.diagnostics).toEqual([]);
    expect({ text: JSON.stringify(text), documents: fast.map((doc) => project(doc.contents)) }).toEqual({
      text: JSON.stringify(text),
      documents: reference.documents.map((doc) => project(doc.contents)),
    });
  }
  for (const [name, extract] of Object.entries(finders)) {
    fastPath.enabled = true;
    const withFast = extract(text, `k8s/${name}.yaml`);
    fastPath.enabled = false;
    const withYaml = extract(text, `k8s/${name}.yaml`);
    fastPath.enabled = true;
    expect({ name, text, result: withFast }).toEqual({ name, text, result: withYaml });
  }
  return fast !== undefined;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? listFiles(file) : [file];
  });
}

const fixtureFiles = listFiles('__tests__/fixtures').filter((file) => /\.ya?ml$/.test(file));
const fixtures = fixtureFiles.map((file) => readFileSync(file, 'utf8'));

/**
 * Every string of the test suite that looks like YAML (a `:` or a `- `): template strings, with
 * `${…}` kept and also replaced by a plain word, and single-quoted strings with `\n` escapes.
 */
const testSources = listFiles('__tests__')
  .filter((file) => file.endsWith('.test.ts') && !file.includes('dockerfile'))
  .map((file) => readFileSync(file, 'utf8'));
const templates = testSources
  .flatMap((source) => [...source.matchAll(/`((?:[^`\\]|\\.)*)`/gs)].map((m) => m[1]!))
  .map((raw) => raw.replace(/\\([`\\$])/g, '$1').replace(/\\n/g, '\n'))
  .flatMap((text) => (text.includes('${') ? [text, text.replace(/\$\{[^}]*\}/g, 'nginx')] : [text]));
const quoted = testSources
  .flatMap((source) => [...source.matchAll(/'((?:[^'\\\n]|\\.)*\\n(?:[^'\\\n]|\\.)*)'/g)].map((m) => m[1]!))
  .map((raw) => raw.replace(/\\'/g, "'").replace(/\\n/g, '\n').replace(/\\\\/g, '\\'));
const inlineInputs = [...templates, ...quoted].filter((text) => /:\s|^\s*- /m.test(text));

describe('fast YAML parser vs yaml', () => {
  it('agrees on every YAML fixture and takes the plain block-style ones', () => {
    const taken = fixtureFiles.filter((_, i) => checkInput(fixtures[i]!));

    // The other fixtures exercise flow collections, anchors, block scalars and escapes on purpose.
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    expect(taken.map((file) => path.relative('__tests__/fixtures', file)).sort()).toEqual([
      'compose/observability-demo/kubernetes/demo.yaml',
      'helm/collection/charts/cache/ci/values-ha.yaml',
      'helm/collection/charts/cache/environments/prod.yaml',
      'helm/collection/charts/exporter/Chart.yaml',
      'helm/collection/charts/exporter/values.yaml',
      'helm/collection/charts/search/Chart.yaml',
      'helm/collection/charts/search/values.yaml',
      'helm/collection/charts/shop/Chart.yaml',
      'helm/collection/charts/shop/values.yaml',
      'helm/web/Chart.yaml',
      'kubernetes/kubectl-pods.yaml',
      'kubernetes/mkdocs.yml',
      'skaffold/shop-demo/kubernetes-manifests/adservice.yaml',
      'skaffold/shop-demo/kubernetes-manifests/frontend.yaml',
      'skaffold/shop-demo/kubernetes-manifests/kustomization.yaml',
      'skaffold/shop-demo/kubernetes-manifests/quote.yaml',
      'skaffold/shop-demo/kustomize/components/container-images-registry/kustomization.yaml',
      'skaffold/shop-demo/kustomize/components/container-images-tag/kustomization.yaml',
      'skaffold/shop-demo/release/kubernetes-manifests.yaml',
      'workflows/action.yml',
    ]);
  });

  it('agrees on every YAML-like template string of the test suite', () => {
    const taken = inlineInputs.filter(checkInput).length;

    expect(inlineInputs.length).toBeGreaterThanOrEqual(250);
    expect(taken).toBeGreaterThanOrEqual(120);
  });

  it('agrees on mutations of the fixtures and template strings, and takes some of them', () => {
    const corpus = [...fixtures, ...inlineInputs];
    let taken = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), (which, at, length, insert) => {
        if (checkInput(mutate(corpus[which % corpus.length]!, at, length, insert))) taken++;
      }),
      { numRuns: 600 },
    );

    // Without a floor, a fast parser that refused every mutated input would pass untested. Six
    // runs took 158 to 195 of the 600; the floor sits far below that, since the seed varies.
    expect(taken).toBeGreaterThanOrEqual(90);
  });

  it('agrees on generated block-YAML streams and takes most of them', () => {
    let taken = 0;
    fc.assert(
      fc.property(streamArbitrary, (text) => {
        if (checkInput(text)) taken++;
      }),
      { numRuns: 1000 },
    );

    expect(taken).toBeGreaterThanOrEqual(100);
  });

  it('agrees on mutations of generated streams, and takes some of them', () => {
    let taken = 0;
    fc.assert(
      fc.property(streamArbitrary, fc.nat(), fc.nat(), fc.nat(), (text, at, length, insert) => {
        if (checkInput(mutate(text, at, length, insert))) taken++;
      }),
      { numRuns: 600 },
    );

    // Most mutations break the block subset; six runs took 33 to 55 of the 600 (floor far below).
    expect(taken).toBeGreaterThanOrEqual(15);
  });
});

describe('fast YAML parser: subset edges', () => {
  it.each([
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a flow sequence', 'a: [1, 2]\n'],
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: 1\nb: *a\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a literal block scalar', 'a: |\n  x\n'],
    ['a folded block scalar', 'a: >\n  x\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a multi-line quoted scalar', 'a: "b\n  c"\n'],
    ['an escape in a double-quoted scalar', 'a: "b\\tc"\n'],
    ['a tab', 'a:\tb\n'],
    ['a carriage return', 'a: b\r\n'],
    ['a byte order mark', '\ufeffa: b\n'],
    ['a directive', '%YAML 1.2\n---\na: b\n'],
    ['a document end marker', 'a: b\n...\n'],
    ['content after ---', '--- a\n'],
    ['a comment after ---', '--- # c\na: b\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a space before the colon', 'a : b\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['a compact nested sequence', '- - a\n'],
    ['a scalar root', 'just text\n'],
    ['an indented root', '  a: b\n'],
    ['a key deeper than its siblings', 'a:\n  b: 1\n   c: 2\n'],
    ['a key between two indentation levels', 'a:\n    b: 1\n  c: 2\n'],
    ['a sequence item where a key belongs', 'a: 1\n- b\n'],
    ['a comment indented unlike the next line', 'a:\n  b: 1\n  # c\nd: 2\n'],
    ['a comment after the last line, indented', 'a:\n  b: 1\n  # c\n'],
    ['a null value with a trailing comment', 'a: # c\nb: 1\n'],
    ['a null value followed by a comment line', 'a:\n# c\nb: 1\n'],
    ['a value starting with an indicator', 'a: @b\n'],
    ['a line over 1000 characters', `a: ${'b'.repeat(1000)}\n`],
  ])('leaves %s to yaml', (_, text) => {
    expect(parseBlockYaml(text)).toBeUndefined();
  });

  it("takes a two-document Deployment and Service with comments at their lines' indentation", () => {
    const text =
      '# app\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      # main\n      - name: app\n        image: "nginx:1.25"  # pinned\n---\nkind: Service\n';

    const docs = parseBlockYaml(text);

    expect(docs?.map((doc) => project(doc.contents))).toEqual(
      parseWithYaml(text, 'f.yaml').documents.map((doc) => project(doc.contents)),
    );
    expect(docs).toHaveLength(2);
  });
});
