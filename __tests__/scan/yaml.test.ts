import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReference } from '../../src/reference/index.js';
import type { ExtractResult, ScalarStyle } from '../../src/scan/types.js';
import {
  createLineIndex,
  extractYamlStream,
  matchesAtLineStart,
  mayContainKeys,
  parseYamlStream,
  yamlFinders,
} from '../../src/scan/yaml/index.js';
import { ref, scalarOccurrence } from './yaml-expect.js';

const pod = (image: string) => `apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: ${image}\n`;

describe('createLineIndex', () => {
  it('maps offsets to 1-based lines and UTF-16 columns, end of text included', () => {
    const lines = createLineIndex('ab\r\n\nc😀d\n');

    expect([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 99, -1].map((offset) => lines.positionAt(offset))).toEqual([
      { line: 1, column: 1 },
      { line: 1, column: 2 },
      { line: 1, column: 3 },
      { line: 1, column: 4 },
      { line: 2, column: 1 },
      { line: 3, column: 1 },
      { line: 3, column: 2 },
      { line: 3, column: 4 },
      { line: 3, column: 5 },
      { line: 4, column: 1 },
      { line: 4, column: 1 },
      { line: 1, column: 1 },
    ]);
  });

  it('agrees with a naive count on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '\n', '\r', '😀') }), fc.nat(), (text, n) => {
        const offset = n % (text.length + 1);
        const before = text.slice(0, offset);
        const line = before.split('\n').length;
        const column = offset - (before.lastIndexOf('\n') + 1) + 1;

        expect(createLineIndex(text).positionAt(offset)).toEqual({ line, column });
      }),
    );
  });
});

describe('parseYamlStream', () => {
  it('keeps clean documents and gives one error per broken document, with its line', () => {
    const content = 'a: 1\n---\nb: [x\n---\nc: 3\n';

    const { documents, diagnostics } = parseYamlStream(content, 'f.yaml');

    expect(documents.map((d) => d.toString())).toEqual(['a: 1\n', '---\nc: 3\n']);
    expect(diagnostics).toEqual([
      {
        file: 'f.yaml',
        line: 4,
        severity: 'error',
        message:
          'could not parse YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
  });

  it('turns nesting too deep for the parser into a diagnostic, not a crash', () => {
    const { documents, diagnostics } = parseYamlStream(`image: ${'['.repeat(5000)}`, 'deep.yaml');

    expect(documents).toEqual([]);
    expect(diagnostics).toEqual([
      {
        file: 'deep.yaml',
        line: 1,
        severity: 'error',
        message: expect.stringMatching(/^could not parse YAML: /),
      },
    ]);
  });
});

describe('mayContainKeys', () => {
  it('is false only when no word and no escape can be in the text', () => {
    expect([
      mayContainKeys('kind: Pod\nimage: x', ['image']),
      mayContainKeys('kind: Pod\nname: x', ['image']),
      mayContainKeys('"\\u0069mage": x', ['image']),
    ]).toEqual([true, false, true]);
  });
});

describe('matchesAtLineStart', () => {
  const cases: [string, RegExp, RegExp][] = [
    ['apiVersion', /^apiVersion\s*:/m, /\s*:/y],
    ['services', /^services[ \t]*:[ \t]*(?:#.*)?$/m, /[ \t]*:[ \t]*(?:#.*)?$/my],
  ];

  it('answers as the /^…/m regex it replaces, on text made of its pieces and every line break', () => {
    const unit = fc.constantFrom(
      'apiVersion',
      'services',
      ':',
      ' ',
      '\t',
      '#',
      'x',
      '\n',
      '\r',
      '\u2028',
      '\u2029',
      '\u00a0',
      '\ufeff',
    );

    fc.assert(
      fc.property(fc.array(unit, { maxLength: 16 }), (units) => {
        const text = units.join('');
        for (const [word, regex, after] of cases) {
          expect({ text, word, found: matchesAtLineStart(text, word, after) }).toEqual({
            text,
            word,
            found: regex.test(text),
          });
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['apiVersion: v1\nkind: Pod\n', 'apiVersion', true],
    ['kind: Pod\n  apiVersion: v1\n', 'apiVersion', false],
    ['x: 1\r\napiVersion\n\n  : v1\n', 'apiVersion', true],
    ['name: services\nservices:  # stack\n', 'services', true],
    ['services: {}\n', 'services', false],
  ])('%j, %s: %s', (text, word, expected) => {
    const [, regex, after] = cases.find(([w]) => w === word)!;

    expect(matchesAtLineStart(text, word, after)).toBe(expected);
    expect(regex.test(text)).toBe(expected);
  });
});

describe('scalar styles', () => {
  it.each<[string, string, ScalarStyle, string, { line: number; column: number }]>([
    ['plain', 'nginx:1', 'plain', 'nginx:1', { line: 5, column: 21 }],
    ['double', '"nginx:1"', 'double', 'nginx:1', { line: 5, column: 23 }],
    ['double with escapes', '"ngi\\x6Ex:1"', 'double', 'nginx:1', { line: 5, column: 26 }],
    ['single', "'nginx:1'", 'single', 'nginx:1', { line: 5, column: 23 }],
    ['block literal', '|\n        nginx:1', 'block-literal', 'nginx:1\n', { line: 6, column: 16 }],
    ['block folded, strip', '>-\n        nginx:1', 'block-folded', 'nginx:1', { line: 6, column: 16 }],
  ])(
    '%s: the span covers the written text, quotes and header included',
    (_name, written, style, value, end) => {
      const content = `${pod(written)}\n`;

      const result = extractYamlStream(content, '-');

      expect(result).toEqual({
        occurrences: [
          scalarOccurrence(content, {
            file: '-',
            kind: 'kubernetes',
            snippet: written,
            style,
            value,
            start: { line: 5, column: 14 },
            end,
            reference: ref('docker.io', 'library/nginx', '1'),
          }),
        ],
        diagnostics: [],
      });
    },
  );

  it('excludes anchors and tags from the span and reads CRLF files', () => {
    const content = pod('&img !!str nginx:1').replaceAll('\n', '\r\n');

    const [occurrence] = extractYamlStream(content, '-').occurrences;

    expect(occurrence).toEqual(
      scalarOccurrence(content, {
        file: '-',
        kind: 'kubernetes',
        snippet: 'nginx:1',
        start: { line: 5, column: 25 },
        end: { line: 5, column: 32 },
        reference: ref('docker.io', 'library/nginx', '1'),
      }),
    );
  });

  it('gives the same reference whatever the quoting style (property)', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,8}$/);
    const image = fc
      .tuple(
        fc.array(component, { minLength: 1, maxLength: 3 }),
        fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,9}$/)),
      )
      .map(([path, tag]) => path.join('/') + (tag ? `:${tag}` : ''))
      .filter((text) => !/^[a-f0-9]{64}$/.test(text));
    const styles = (text: string) => [
      text,
      JSON.stringify(text),
      `'${text}'`,
      `|\n        ${text}`,
      `>\n        ${text}`,
    ];

    fc.assert(
      fc.property(image, (text) => {
        const expected = parseReference(text);

        for (const written of styles(text)) {
          const content = pod(written);
          const { occurrences } = extractYamlStream(content, '-');
          expect(occurrences.map((o) => [o.reference, o.raw])).toEqual([[expected, written]]);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('extractYamlStream', () => {
  it('reads each document by its content: Kubernetes objects, lists and kustomizations', () => {
    const content = [
      'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: apps/v1, kind: Deployment, spec: {template: {spec: {containers: [{image: a:1}]}}}}',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages: [{name: b, newTag: "2"}]',
      'services: {web: {image: c:3}}',
      'apiVersion: serving.knative.dev/v1\nkind: Service\nspec: {template: {spec: {containers: [{image: d:4}]}}}',
    ].join('\n---\n');

    const found = extractYamlStream(content, '-').occurrences.map((o) => [o.kind, o.raw, o.start.line]);

    expect(found).toEqual([
      ['kubernetes', 'a:1', 4],
      ['kustomize', 'b', 8],
      ['knative', 'd:4', 14],
    ]);
  });
});

describe('yamlFinders', () => {
  const finderFor = (path: string) => yamlFinders.find((finder) => finder.matches(path))?.name;

  it.each([
    ['.github/workflows/compose.yml', 'workflow'],
    ['.github/actions/x/action.yml', 'action'],
    ['docker-compose.yml', 'compose'],
    ['deploy/compose.prod.yaml', 'compose'],
    ['overlays/prod/kustomization.yaml', 'kustomize'],
    ['cloudbuild.yaml', 'cloudbuild'],
    ['charts/web/values.yaml', 'helm'],
    ['charts/web/templates/deployment.yaml', 'kubernetes'],
    ['k8s/deploy.yml', 'kubernetes'],
    ['mkdocs.yml', 'kubernetes'],
    ['Dockerfile', undefined],
    ['examples/pod.json', 'kubernetes'],
    ['web/package-lock.json', undefined],
    ['tsconfig.build.json', undefined],
    ['charts/web/values.schema.json', undefined],
    ['.env', undefined],
  ])('%s → %s', (path, name) => {
    expect(finderFor(path)).toBe(name);
  });
});

describe('robustness', () => {
  const fragments = fc.constantFrom(
    'apiVersion: v1\n',
    'kind: Pod\n',
    'kind: List\n',
    'items:\n',
    'spec:\n',
    'containers:\n',
    'template:\n',
    'services:\n',
    'jobs:\n',
    'steps:\n',
    'images:\n',
    'image: ',
    'uses: docker://',
    'repository: ',
    'name: ',
    'newName: ',
    'runs:\n',
    '<<: ',
    '&a ',
    '*a',
    '- ',
    '  ',
    '\n',
    '---\n',
    '{',
    '}',
    '[',
    ']',
    ', ',
    '"',
    "'",
    '|\n',
    '>-\n',
    '{{ x }}',
    `\${V:-x}`,
    '#',
    'nginx:1',
    '\\',
    '\t',
    '\ufeff',
  );
  const yamlish = fc.array(fragments, { maxLength: 60 }).map((parts) => parts.join(''));
  const context = { hasSibling: () => true };

  it('never throws, and every occurrence quotes its exact source text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(yamlish, fc.string({ unit: 'binary' })),
        fc.constantFrom(...yamlFinders),
        (text, finder) => {
          const results: ExtractResult[] = [
            finder.extract(text, 'f.yaml', context),
            extractYamlStream(text, '-'),
          ];

          for (const { occurrences } of results) {
            for (const o of occurrences) {
              const scalar = o.target.type === 'scalar' ? o.target.scalar : undefined;
              if (scalar) expect(o.raw).toBe(text.slice(scalar.start, scalar.end));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not expand alias bombs', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const content = `${levels.join('\n')}\napiVersion: v1\nkind: Pod\nspec: {containers: *j, volumes: *j}\nimage: *j\n`;
    const started = performance.now();

    const results = yamlFinders.map((finder) => finder.extract(content, 'values.yaml', context));

    expect(performance.now() - started).toBeLessThan(2000);
    expect(results.flatMap((r) => r.occurrences)).toEqual([]);
  });
});
