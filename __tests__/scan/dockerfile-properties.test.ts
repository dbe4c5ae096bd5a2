import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReference } from '../../src/reference/index.js';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';
import type { ExtractResult } from '../../src/scan/types.js';

const IMAGES = [
  'nginx:1.25',
  'ghcr.io/acme/app:2.0.1',
  'localhost:5000/team/tool',
  `alpine@sha256:${'b'.repeat(64)}`,
  'quay.io/org/img:v1-rc.2',
];

/** One FROM line rendered with random continuations, interleaved comments and blank lines. */
const fromLine = fc.record({
  image: fc.constantFrom(...IMAGES),
  platform: fc.boolean(),
  stage: fc.option(fc.constantFrom('build', 'Final', 'x-1'), { nil: undefined }),
  breaks: fc.array(fc.constantFrom('', '# note', '  # indented', '   '), { maxLength: 3 }),
  breakAt: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
});

type FromLine = typeof fromLine extends fc.Arbitrary<infer T> ? T : never;

function render(line: FromLine): string {
  const words = ['FROM', ...(line.platform ? ['--platform=linux/arm64'] : []), line.image];
  if (line.stage) words.push('AS', line.stage);
  let text = words[0] as string;
  words.slice(1).forEach((word, i) => {
    if (line.breakAt[i]) text += ` \\\n${line.breaks.map((b) => `${b}\n`).join('')}  ${word}`;
    else text += ` ${word}`;
  });
  return text;
}

const dockerfile = fc.record({
  lines: fc.array(fromLine, { minLength: 1, maxLength: 6 }),
  filler: fc.array(fc.constantFrom('RUN echo hi', '# comment', '', 'ENV A=1 \\\n  B=2', 'WORKDIR /app'), {
    maxLength: 3,
  }),
  crlf: fc.boolean(),
});

function build(spec: { lines: FromLine[]; filler: string[]; crlf: boolean }): string {
  const parts = spec.lines.flatMap((line) => [...spec.filler, render(line)]);
  const text = `${parts.join('\n')}\n`;
  return spec.crlf ? text.replaceAll('\n', '\r\n') : text;
}

function images(result: ExtractResult): string[] {
  return result.occurrences.map((o) => formatReference(o.reference));
}

function expectedImages(lines: FromLine[]): string[] {
  // Stage names generated here never collide with image names, so every FROM is an image.
  return lines.map((line) =>
    formatReference(extractDockerfile(`FROM ${line.image}\n`, 'f').occurrences[0]!.reference),
  );
}

describe('Dockerfile properties', () => {
  it('finds the same images whatever the continuations, comments, blank lines and line endings', () => {
    fc.assert(
      fc.property(dockerfile, (spec) => {
        const content = build(spec);

        const result = extractDockerfile(content, 'f');

        expect(images(result)).toEqual(expectedImages(spec.lines));
        expect(result.diagnostics).toEqual([]);
        for (const occurrence of result.occurrences) {
          const { scalar } = occurrence.target as { scalar: { start: number; end: number } };
          expect(content.slice(scalar.start, scalar.end)).toBe(occurrence.raw);
          expect(IMAGES).toContain(occurrence.raw);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with dockerfile-ast on the range of every FROM image', () => {
    fc.assert(
      fc.property(dockerfile, (spec) => {
        const content = build(spec);

        const ours = extractDockerfile(content, 'f').occurrences.map((o) => [o.start, o.end]);

        const theirs = DockerfileParser.parse(content)
          .getFROMs()
          .map((from) => {
            const range = from.getImageRange()!;
            return [
              { line: range.start.line + 1, column: range.start.character + 1 },
              { line: range.end.line + 1, column: range.end.character + 1 },
            ];
          });
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary text and always returns well-formed results', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc
        .array(
          fc.constantFrom(
            'FROM ',
            'ARG ',
            '$',
            '${',
            '}',
            ':-',
            '\\\n',
            '`',
            '<<',
            'EOF\n',
            '"',
            "'",
            ' AS ',
            'a',
            '\n',
            '\r\n',
            '--from=',
            '--mount=from=',
            '#',
            '\uFEFF',
            'ONBUILD ',
          ),
          { maxLength: 60 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (content) => {
        const result = extractDockerfile(content, 'f');

        for (const occurrence of result.occurrences) {
          const { scalar } = occurrence.target as { scalar: { start: number; end: number } };
          expect(content.slice(scalar.start, scalar.end)).toBe(occurrence.raw);
        }
        for (const diagnostic of result.diagnostics) expect(diagnostic.line).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hostile input', () => {
  const MB = 1024 * 1024;
  const cases: [string, string, string[]][] = [
    [
      '1 MB of continuation lines',
      `FROM nginx:1.25 \\\n${'  --x \\\n'.repeat(MB / 8)}  AS web\n`,
      ['nginx:1.25'],
    ],
    // Every `\` line continues into the next, so the FROM at the end is part of one long instruction.
    ['1 MB of bare continuations', `${'\\\n'.repeat(MB / 2)}FROM nginx:1.25\n`, ['nginx:1.25']],
    [
      '1 MB of comments inside a continuation',
      `FROM \\\n${'# c\n'.repeat(MB / 4)}nginx:1.25\n`,
      ['nginx:1.25'],
    ],
    ['deeply nested defaults', `FROM ${'${A:-'.repeat(50_000)}x${'}'.repeat(50_000)}\n`, []],
    ['an unclosed ${ storm', `FROM ${'${'.repeat(300_000)}\n`, []],
    ['a million backslashes', `RUN ${'\\'.repeat(MB)}\nFROM nginx:1.25\n`, []],
    ['100k heredoc openers', `FROM nginx:1.25\n${'RUN <<EOF\n'.repeat(100_000)}`, ['nginx:1.25']],
    ['120k ARG lines', `${'ARG A=nginx:1.25\n'.repeat(120_000)}FROM $A\n`, ['nginx:1.25']],
    [
      '100k FROM lines with stages',
      'FROM nginx:1.25 AS s\nFROM s\n'.repeat(50_000),
      Array(50_000).fill('nginx:1.25'),
    ],
    [
      'a binary-looking string',
      Array.from({ length: MB }, (_, i) => String.fromCharCode((i * 7919) % 65_536)).join(''),
      [],
    ],
  ];

  it.each(cases)('%s: returns quickly without throwing', (_name, content, raws) => {
    const started = performance.now();

    const result = extractDockerfile(content, 'f');

    const elapsed = performance.now() - started;
    expect(result.occurrences.map((o) => o.raw)).toEqual(raws);
    // Generous for a shared 2-core machine; quadratic behaviour would take minutes here.
    expect(elapsed).toBeLessThan(3000);
  });
});
