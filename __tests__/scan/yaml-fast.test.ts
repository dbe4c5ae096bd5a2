/**
 * Differential tests of the fast block-YAML parser and the per-document parse against the `yaml`
 * package: whatever the fast parser accepts must give the same nodes (class, value, source, style,
 * range[0..1], order) as `yaml`; parseYamlStream, which parses each document of a stream on its own
 * (fast where it can), must give the same documents and diagnostics as `yaml` on the whole stream
 * (with rejected documents blanked, as before); and every YAML finder must report the same
 * occurrences and diagnostics as with `yaml` alone on the whole stream. Inputs: every YAML fixture,
 * every template string in the test suite, generated block-YAML streams (one-line flow collections
 * included) and single-character mutations of all of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, visit, YAMLMap, YAMLSeq } from 'yaml';
import { extractCloudBuild } from '../../src/scan/cloudbuild/extract.js';
import { extractCompose } from '../../src/scan/compose/extract.js';
import { extractHelmValues } from '../../src/scan/helm/extract.js';
import { extractKubernetes } from '../../src/scan/kubernetes/extract.js';
import { extractKustomize } from '../../src/scan/kustomize/extract.js';
import { extractAction, extractWorkflow } from '../../src/scan/workflows/extract.js';
import { blankDocuments } from '../../src/scan/yaml/documents.js';
import type * as fastParse from '../../src/scan/yaml/fast-parse.js';
import type * as parse from '../../src/scan/yaml/parse.js';
import { extractYamlStream } from '../../src/scan/yaml/stream.js';
import {
  flowArbitrary,
  mutate,
  renderStream,
  streamArbitrary,
  treeArbitrary,
} from '../support/block-yaml.js';

// The reference run parses as the scanner did before documents were parsed one by one: rejected
// documents blanked, then `yaml` alone on the whole stream. The fast parser counts what it takes.
const fastPath = vi.hoisted(() => ({ enabled: true, taken: 0 }));
vi.mock('../../src/scan/yaml/parse.js', async (importOriginal) => {
  const original = await importOriginal<typeof parse>();
  const { blankDocuments: blank } = await import('../../src/scan/yaml/documents.js');
  return {
    ...original,
    parseYamlStream: (content: string, file: string, keep?: (document: string) => boolean) =>
      fastPath.enabled
        ? original.parseYamlStream(content, file, keep)
        : original.parseWithYaml(keep ? blank(content, keep) : content, file),
  };
});
vi.mock('../../src/scan/yaml/fast-parse.js', async (importOriginal) => {
  const original = await importOriginal<typeof fastParse>();
  return {
    parseBlockYaml: (text: string, from?: number, to?: number) => {
      const documents = original.parseBlockYaml(text, from, to);
      if (documents) fastPath.taken += documents.length;
      return documents;
    },
  };
});
const { parseBlockYaml } = await vi.importActual<typeof fastParse>('../../src/scan/yaml/fast-parse.js');
const { parseWithYaml, parseYamlStream } = await vi.importActual<typeof parse>(
  '../../src/scan/yaml/parse.js',
);

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

const hasImage = (document: string) => document.includes('image');

/** Asserts that parseYamlStream gives what `yaml` gives on the whole (blanked) stream. */
function checkStream(text: string, keep?: (document: string) => boolean): void {
  const actual = parseYamlStream(text, 'f.yaml', keep);
  const reference = parseWithYaml(keep ? blankDocuments(text, keep) : text, 'f.yaml');
  // A blanked document is an empty one (a null root), which no finder reads; parseYamlStream
  // leaves it out altogether.
  const documents = (stream: parse.ParsedStream) =>
    stream.documents
      .filter((doc) => !(doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)))
      .map((doc) => project(doc.contents));
  expect({
    text: JSON.stringify(text),
    diagnostics: actual.diagnostics,
    documents: documents(actual),
  }).toEqual({
    text: JSON.stringify(text),
    diagnostics: reference.diagnostics,
    documents: documents(reference),
  });
}

/** Asserts agreement on one input; returns whether the fast parser took some of its documents. */
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
  const before = fastPath.taken;
  checkStream(text);
  checkStream(text, hasImage);
  const taken = fastPath.taken > before;
  for (const [name, extract] of Object.entries(finders)) {
    fastPath.enabled = true;
    const withFast = extract(text, `k8s/${name}.yaml`);
    fastPath.enabled = false;
    const withYaml = extract(text, `k8s/${name}.yaml`);
    fastPath.enabled = true;
    expect({ name, text, result: withFast }).toEqual({ name, text, result: withYaml });
  }
  return taken;
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
  it('agrees on every YAML fixture and takes the documents in the fast subset', () => {
    const taken = fixtureFiles.filter((_, i) => checkInput(fixtures[i]!));

    // The other fixtures exercise anchors, block scalars, escapes and multi-line flow collections
    // in every document on purpose.
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    expect(taken.map((file) => path.relative('__tests__/fixtures', file)).sort()).toEqual([
      'cloudbuild/cloudbuild.yaml',
      'compose/observability-demo/kubernetes/demo.yaml',
      'helm/collection/charts/cache/Chart.yaml',
      'helm/collection/charts/cache/ci/values-ha.yaml',
      'helm/collection/charts/cache/environments/prod.yaml',
      'helm/collection/charts/exporter/Chart.yaml',
      'helm/collection/charts/exporter/values.yaml',
      'helm/collection/charts/search/Chart.yaml',
      'helm/collection/charts/search/values.yaml',
      'helm/collection/charts/shop/Chart.yaml',
      'helm/collection/charts/shop/values.yaml',
      'helm/web/Chart.yaml',
      'helm/web/values.yaml',
      'kubernetes/app.yaml',
      'kubernetes/knative-service.yaml',
      'kubernetes/kubectl-pods.yaml',
      'kubernetes/mkdocs.yml',
      'kubernetes/operators/databases.yaml',
      'kubernetes/operators/elastic.yaml',
      'kubernetes/operators/jobset.yaml',
      'kubernetes/operators/monitoring.yaml',
      'kubernetes/operators/postgres-cassandra.yaml',
      'kubernetes/operators/ray.yaml',
      'kubernetes/operators/search-policies.yaml',
      'kubernetes/operators/traps.yaml',
      'kubernetes/settings.yaml',
      'kustomize/kustomization.yaml',
      'rewrite/ci.workflow.rewritten.yml',
      'rewrite/ci.workflow.yml',
      'rewrite/compose.rewritten.yaml',
      'rewrite/compose.yaml',
      'rewrite/deployment.rewritten.yaml',
      'rewrite/deployment.yaml',
      'rewrite/kustomization.rewritten.yaml',
      'rewrite/kustomization.yaml',
      'rewrite/values.rewritten.yaml',
      'rewrite/values.yaml',
      'rewrite/variables.compose.rewritten.yaml',
      'rewrite/variables.compose.yaml',
      'skaffold/shop-demo/.github/workflows/ci.yaml',
      'skaffold/shop-demo/cloudbuild/deploy.yaml',
      'skaffold/shop-demo/kubernetes-manifests/adservice.yaml',
      'skaffold/shop-demo/kubernetes-manifests/frontend.yaml',
      'skaffold/shop-demo/kubernetes-manifests/kustomization.yaml',
      'skaffold/shop-demo/kubernetes-manifests/loadgenerator.yaml',
      'skaffold/shop-demo/kubernetes-manifests/quote.yaml',
      'skaffold/shop-demo/kustomize/components/container-images-registry/kustomization.yaml',
      'skaffold/shop-demo/kustomize/components/container-images-tag/kustomization.yaml',
      'skaffold/shop-demo/release/kubernetes-manifests.yaml',
      'skaffold/shop-demo/skaffold.yaml',
      'workflows/action.yml',
      'workflows/ci.yml',
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
    ['a flow collection that goes on to the next line', 'a: [1,\n  2]\n'],
    ['a flow collection left open', 'a: {b: 1\n'],
    ['a comment inside a flow collection', 'a: [1, # c\n  2]\n'],
    ['a comment right after a flow collection', 'a: [1]#c\n'],
    ['text after a flow collection', 'a: [1] b\n'],
    ['a more indented line after a flow collection', 'a: [1]\n  b: 2\n'],
    ['an anchor inside a flow collection', 'a: [&x 1, *x]\n'],
    ['an alias inside a flow collection', 'a: {b: *x}\n'],
    ['a tag inside a flow collection', 'a: [!!str 1]\n'],
    ['an escape inside a flow collection', 'a: ["b\\tc"]\n'],
    ['a trailing comma', 'a: [1, 2, ]\n'],
    ['an empty entry', 'a: [1, , 2]\n'],
    ['a flow key without a value', 'a: {b}\n'],
    ['a flow value left empty', 'a: {b: }\n'],
    ['a pair inside a flow sequence', 'a: [b: c]\n'],
    ['a JSON-style pair', 'a: {"b":1}\n'],
    ['a space before a flow colon', 'a: {b : 1}\n'],
    ['an explicit key in a flow mapping', 'a: {? b: 1}\n'],
    ['a flow collection as a key', '{a: 1}: b\n'],
    ['a flow collection as the root', '[a, b]\n'],
    ['a flow collection nested 17 deep', `a: ${'['.repeat(17)}x${']'.repeat(17)}\n`],
    ['a variable inside a flow collection', 'a: [${TAG}]\n'],
    ['an anchor', 'a: &x 1\n'],
    ['an alias', 'a: 1\nb: *a\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar that keeps its trailing lines', 'a: |+\n  x\n\nb: 1\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   x\n'],
    ['a block scalar without a body', 'a: |\nb: 1\n'],
    ['a folded block scalar with a more-indented line', 'a: >\n  x\n    y\n  z\n'],
    ['a block scalar line of spaces past the indentation', 'a: |\n  x\n     \n  y\n'],
    ['a comment glued to a block scalar header', 'a: |#c\n  x\n'],
    ['a block scalar as the root', '|\n  x\n'],
    ['a line after a block scalar between two indentations', 'a:\n  b: |\n      x\n     y\n'],
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

  it.each([
    ['empty flow collections', 'a: {}\nb: []\nc: { }\nd: [ ]\n'],
    [
      'flow collections in a sequence',
      '- {name: a, value: "1"}\n- [x, y]\n- name: b\n  ports: [{port: 80}]\n',
    ],
    ['nested flow collections with a comment after them', 'a: {b: 1, c: [x, "y"], d: {e: []}}  # c\nf: g\n'],
    ['quoted flow entries holding commas, brackets and #', `a: {'x, y': "p{q}", z: 'it''s', w: "[#]"}\n`],
    ['spaces around flow entries', 'a: [ a , b ,c]\nb: {  x: 1 ,y: 2  }\n'],
    ['duplicate keys, block and flow', 'a: 1\nb: {x: 1, x: 2}\na: 2\n'],
    ['literal and folded block scalars', 'a: |\n  x\n   y\n\n  z\n\nb: >-\n  p\n  q\n\n\n  r\nc: 1\n'],
    [
      'block scalars in a sequence, one with a header comment',
      'a:\n  - |  # script\n    set -e\n    # a line\n  - >\n    x\n',
    ],
    ['a block scalar with an empty first line, ending a nested mapping', 'a:\n  b: |-\n\n    x\n  \nc: 1\n'],
    ['a mapping with many keys', keys(40)],
    ['a flow mapping with many keys', `a: {${keys(40).trim().split('\n').join(', ')}}\n`],
    [
      'plain flow scalars with colons and numbers',
      'a: {image: nginx:1.25, url: http://x:80/y, n: 7.20, h: 0x1F, t: true}\n',
    ],
  ])('takes %s, with the nodes yaml builds', (_, text) => {
    const docs = parseBlockYaml(text);

    expect(docs?.map((doc) => project(doc.contents))).toEqual(
      parseWithYaml(text, 'f.yaml').documents.map((doc) => project(doc.contents)),
    );
  });

  it('builds nodes that are the yaml classes, and documents that print and convert as yaml does', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  ports: [{port: 80}, 443]\n  containers:\n    - name: app\n      image: "nginx:1.25"\n';

    const [doc] = parseBlockYaml(text) ?? [];
    const reference = parseWithYaml(text, 'f.yaml').documents[0]!;

    const nodes: unknown[] = [];
    visit(doc?.contents ?? null, {
      Map: (_, node) => void nodes.push(node),
      Seq: (_, node) => void nodes.push(node),
      Pair: (_, node) => void nodes.push(node),
      Scalar: (_, node) => void nodes.push(node),
    });
    expect(nodes.length).toBe(31);
    for (const node of nodes) {
      const classes = [isMap(node) && node instanceof YAMLMap, isSeq(node) && node instanceof YAMLSeq];
      classes.push(isPair(node) && node instanceof Pair, isScalar(node) && node instanceof Scalar);
      expect(classes.filter(Boolean)).toHaveLength(1);
    }
    expect(doc?.toJS()).toEqual(reference.toJS());
    expect(doc?.toString()).toBe(reference.toString());
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

describe('fast YAML parser: flow collections', () => {
  it('agrees with yaml on generated one-line flow collections, and takes most of them', () => {
    let taken = 0;
    fc.assert(
      fc.property(flowArbitrary, flowArbitrary, (first, second) => {
        const text = `a: ${first}\nb:\n  - ${second}\n  - c: ${first}  # note\n    d: ${second}\n`;
        if (checkInput(text)) taken++;
      }),
      { numRuns: 400 },
    );

    // Edge atoms are rare (1 in 21) but a document holds up to dozens of atoms; three runs took
    // 193 to 227 of the 400 (floor far below).
    expect(taken).toBeGreaterThanOrEqual(80);
  });
});

describe('parseYamlStream: one document at a time', () => {
  const deployment = (image: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - {name: app, image: ${image}}\n`;

  it('takes the documents in the fast subset even when another one is not, with offsets into the stream', () => {
    const text = `${deployment('nginx:1')}---\nkind: ConfigMap\ndata:\n  a: &x b\n---\n${deployment('redis:7')}`;
    const before = fastPath.taken;

    const stream = parseYamlStream(text, 'f.yaml');

    expect(parseBlockYaml(text)).toBeUndefined();
    expect(fastPath.taken - before).toBe(2);
    expect(stream.documents).toHaveLength(3);
    checkStream(text);
    const image = text.lastIndexOf('redis:7');
    expect(JSON.stringify(stream.documents[2]!.contents)).toContain('redis:7');
    expect(findScalar(stream.documents[2]!.contents, 'redis:7')?.range?.slice(0, 2)).toEqual([
      image,
      image + 7,
    ]);
  });

  it('moves the offsets of documents that yaml parses on their own into the stream', () => {
    const text = `kind: A\n---\nkind: B\nimage: &i nginx:1\nother: *i\n`;

    const stream = parseYamlStream(text, 'f.yaml');

    const image = text.indexOf('nginx:1');
    expect(findScalar(stream.documents[1]!.contents, 'nginx:1')?.range?.slice(0, 2)).toEqual([
      image,
      image + 7,
    ]);
    checkStream(text);
  });

  it('parses only the documents kept, and none of the others (their syntax errors included)', () => {
    const text = `kind: A\nimage: x\n---\nkind: B\nbroken: [\n---\nkind: C\nimage: y\n`;

    const stream = parseYamlStream(text, 'f.yaml', hasImage);

    expect(stream.diagnostics).toEqual([]);
    expect(stream.documents.map((doc) => JSON.stringify(doc.contents))).toEqual([
      JSON.stringify({ kind: 'A', image: 'x' }),
      JSON.stringify({ kind: 'C', image: 'y' }),
    ]);
    checkStream(text, hasImage);
  });

  it.each([
    ['a kept document with a syntax error', 'a: 1\n---\nimage: [x\n---\nimage: "y\n'],
    ['a document end marker', 'image: a\n...\n---\nimage: b\n'],
    ['a directive', '%YAML 1.2\n---\nimage: a\n---\nimage: b\n'],
    ['a marker followed by content', 'image: a\n--- image: b\n'],
  ])('gives what a parse of the whole stream gives for %s', (_, text) => {
    checkStream(text);
    checkStream(text, hasImage);
  });

  it('agrees with yaml on generated multi-document streams, each kept or not', () => {
    fc.assert(
      fc.property(fc.array(treeArbitrary, { minLength: 2, maxLength: 5 }), fc.integer(), (trees, seed) => {
        const text = renderStream(trees, seed);
        checkStream(text);
        checkStream(text, hasImage);
      }),
      { numRuns: 300 },
    );
  });
});

/** `count` lines `kN: N`. */
function keys(count: number): string {
  return Array.from({ length: count }, (_, i) => `k${i}: ${i}\n`).join('');
}

/** The first scalar below `node` whose value is `value`. */
function findScalar(node: unknown, value: string): { range?: [number, number, number] | null } | undefined {
  if (isScalar(node)) return node.value === value ? node : undefined;
  if (isPair(node)) return findScalar(node.key, value) ?? findScalar(node.value, value);
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = findScalar(item, value);
      if (found) return found;
    }
  }
  return undefined;
}

describe('fast YAML parser: block scalars', () => {
  it('agrees with yaml on generated block scalars in mappings and sequences, and takes most of them', () => {
    const body = fc.array(
      fc.constantFrom('echo hi', '# text', 'a: b', '', '  more', '{x}', "it's", '- y', '   '),
      { minLength: 1, maxLength: 6 },
    );
    const header = fc.constantFrom('|', '|-', '>', '>-', '|  # c', '|+', '>2');
    let taken = 0;
    fc.assert(
      fc.property(header, body, fc.nat(3), (head, lines, extra) => {
        const indented = (indent: number) => lines.map((line) => (line ? ' '.repeat(indent) + line : line));
        const text = [
          `a: ${head}`,
          ...indented(2 + extra),
          'b:',
          `  - ${head}`,
          ...indented(4 + extra),
          '  - c: 1',
          `    d: ${head}`,
          ...indented(6),
          'e: 1',
          '',
        ].join('\n');
        if (checkInput(text)) taken++;
      }),
      { numRuns: 400 },
    );

    // Edge headers and bodies of empty lines go to yaml; four runs took 153 to 172 of the 400.
    expect(taken).toBeGreaterThanOrEqual(100);
  });
});
