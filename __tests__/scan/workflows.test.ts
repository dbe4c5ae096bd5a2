import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  actionFinder,
  extractAction,
  extractWorkflow,
  workflowFinder,
} from '../../src/scan/workflows/index.js';
import { ref, scalarOccurrence } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/workflows/${name}`, import.meta.url), 'utf8');
const NO_SIBLINGS = { hasSibling: () => false };

describe('extractWorkflow', () => {
  it('reads a docker:// step as the whole scalar with a docker:// prefix', () => {
    const content = 'jobs:\n  a:\n    steps:\n      - uses: "docker://alpine:3.19"\n';

    const result = extractWorkflow(content, 'w.yml');

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'w.yml',
          kind: 'workflow-step',
          snippet: '"docker://alpine:3.19"',
          style: 'double',
          value: 'docker://alpine:3.19',
          prefix: 'docker://',
          start: { line: 4, column: 15 },
          end: { line: 4, column: 37 },
          reference: ref('docker.io', 'library/alpine', '3.19'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('skips action and reusable-workflow uses, and jobs without containers', () => {
    const content = [
      'jobs:',
      '  a:',
      '    steps: [{uses: actions/checkout@v4}, {uses: ./local-action}, {run: echo docker://x}]',
      '  b:',
      '    uses: acme/workflows/.github/workflows/build.yml@main',
      '',
    ].join('\n');

    expect(extractWorkflow(content, 'w.yml')).toEqual({ occurrences: [], diagnostics: [] });
  });

  it('reports GitHub expressions in a container string and a docker:// step', () => {
    const content = `jobs:\n  a:\n    container: \${{ inputs.image }}\n    steps:\n      - uses: docker://\${{ env.TOOL }}\n`;

    const result = extractWorkflow(content, 'w.yml');

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        {
          file: 'w.yml',
          line: 3,
          severity: 'warning',
          message: `image "\${{ inputs.image }}" contains a template expression ({{ }}), resolved only at deploy time`,
        },
        {
          file: 'w.yml',
          line: 5,
          severity: 'warning',
          message: `image "\${{ env.TOOL }}" contains a template expression ({{ }}), resolved only at deploy time`,
        },
      ],
    });
  });
});

describe('workflow fixture', () => {
  it('reads job containers, services and docker:// steps, and reports the matrix service', () => {
    const content = fixture('ci.yml');
    const at = (snippet: string, line: number, column: number, endColumn: number) => ({
      file: '.github/workflows/ci.yml',
      snippet,
      start: { line, column },
      end: { line, column: endColumn },
    });

    const result = workflowFinder.extract(content, '.github/workflows/ci.yml', NO_SIBLINGS);

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          ...at('node:20-bookworm', 11, 14, 30),
          kind: 'workflow-container',
          reference: ref('docker.io', 'library/node', '20-bookworm'),
        }),
        scalarOccurrence(content, {
          ...at('postgres:16', 15, 16, 27),
          kind: 'workflow-service',
          reference: ref('docker.io', 'library/postgres', '16'),
        }),
        scalarOccurrence(content, {
          ...at('docker://koalaman/shellcheck:v0.10.0', 27, 15, 51),
          kind: 'workflow-step',
          prefix: 'docker://',
          reference: ref('docker.io', 'koalaman/shellcheck', 'v0.10.0'),
        }),
        scalarOccurrence(content, {
          ...at("'squidfunk/mkdocs-material:9.5'", 34, 16, 47),
          kind: 'workflow-container',
          style: 'single',
          value: 'squidfunk/mkdocs-material:9.5',
          reference: ref('docker.io', 'squidfunk/mkdocs-material', '9.5'),
        }),
      ],
      diagnostics: [
        {
          file: '.github/workflows/ci.yml',
          line: 20,
          severity: 'warning',
          message: `image "\${{ matrix.redis }}" contains a template expression ({{ }}), resolved only at deploy time`,
        },
      ],
    });
  });
});

describe('extractAction', () => {
  it('reads runs.image: docker://IMAGE from the fixture', () => {
    const content = fixture('action.yml');

    const result = actionFinder.extract(content, 'tools/render/action.yml', NO_SIBLINGS);

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          file: 'tools/render/action.yml',
          kind: 'action',
          snippet: 'docker://plantuml/plantuml:1.2024.3',
          prefix: 'docker://',
          start: { line: 9, column: 10 },
          end: { line: 9, column: 45 },
          reference: ref('docker.io', 'plantuml/plantuml', '1.2024.3'),
        }),
      ],
      diagnostics: [],
    });
  });

  it('ignores runs.image: Dockerfile and reads docker:// steps of a composite action', () => {
    const docker = 'runs:\n  using: docker\n  image: Dockerfile\n';
    const composite = 'runs:\n  using: composite\n  steps:\n    - uses: docker://hadolint/hadolint:2.12.0\n';

    const found = [extractAction(docker, 'action.yml'), extractAction(composite, 'action.yaml')];

    expect(found.map((r) => r.occurrences.map((o) => [o.kind, o.raw]))).toEqual([
      [],
      [['workflow-step', 'docker://hadolint/hadolint:2.12.0']],
    ]);
  });
});

describe('matches', () => {
  it.each([
    [workflowFinder, '.github/workflows/ci.yml', true],
    [workflowFinder, 'sub/.github/workflows/release.yaml', true],
    [workflowFinder, '.github/workflows/nested/x.yml', false],
    [workflowFinder, '.github/dependabot.yml', false],
    [actionFinder, 'action.yml', true],
    [actionFinder, '.github/actions/setup/action.yaml', true],
    [actionFinder, 'my-action.yml', false],
  ])('%#: %s', (finder, path, expected) => {
    expect(finder.matches(path as string)).toBe(expected);
  });
});
