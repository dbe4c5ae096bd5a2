/**
 * Parser details found by running the peers' test suites (BuildKit's directive trimming, the
 * `FROM\` continuation) and a hostile Dockerfile whose ARGs double in size (issue 7, rule 6).
 */
import { describe, expect, it } from 'vitest';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';
import type { Diagnostic } from '../../src/scan/types.js';
import { at as atIn, ref } from './dockerfile-expect.js';

const FILE = 'Dockerfile';
const extract = (content: string) => extractDockerfile(content, FILE);
const diag = (line: number, severity: Diagnostic['severity'], message: string): Diagnostic => ({
  file: FILE,
  line,
  severity,
  message,
});

describe('# escape= with blanks before the #', () => {
  it('is a directive, as BuildKit trims the blanks: backtick continuations join', () => {
    const content = '  # escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir C:\\\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        atIn(
          content,
          'mcr.microsoft.com/windows/servercore:ltsc2022',
          ref('mcr.microsoft.com', 'windows/servercore', 'ltsc2022'),
        ),
      ],
      diagnostics: [],
    });
  });

  it('a tab before a syntax directive keeps it a directive too', () => {
    const content = '\t# syntax=docker/dockerfile:1.7\nFROM alpine:3.20\n';

    expect(extract(content).occurrences.map((o) => [o.kind, o.raw])).toEqual([
      ['dockerfile-syntax', 'docker/dockerfile:1.7'],
      ['dockerfile-from', 'alpine:3.20'],
    ]);
  });
});

describe('FROM\\ followed by a line break', () => {
  it('warns that the keyword joined the next line instead of dropping it silently', () => {
    const content = 'FROM\\\nalpine:3.20\nFROM nginx:1.27\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [atIn(content, 'nginx:1.27', ref('docker.io', 'library/nginx', '1.27'))],
      diagnostics: [
        diag(
          1,
          'warning',
          '"FROM" is followed by a line continuation, so the next line joins the keyword into the unknown instruction "FROMalpine:3.20", which BuildKit refuses; not read (put a space before the escape character)',
        ),
      ],
    });
  });

  it('a space before the escape keeps the instruction, with no warning', () => {
    const content = 'FROM \\\n  alpine:3.20\n';

    expect(extract(content)).toEqual({
      occurrences: [atIn(content, 'alpine:3.20', ref('docker.io', 'library/alpine', '3.20'))],
      diagnostics: [],
    });
  });

  it('an unknown instruction that is not a joined keyword is left alone', () => {
    expect(extract('FROM alpine:3\nFROMAGE \\\n x\n').diagnostics).toEqual([]);
  });
});

describe('bounded variable expansion', () => {
  /** 28 ARGs, each the one before written twice, then a FROM using the last one. */
  function doubling(count: number): string {
    let content = 'ARG A0=ab\n';
    for (let i = 1; i <= count; i++) content += `ARG A${i}=\${A${i - 1}}\${A${i - 1}}\n`;
    return `${content}FROM \${A${count}}\n`;
  }

  it('turns a value past 4 KiB into a diagnostic instead of growing without bound', () => {
    const content = doubling(28);
    expect(content.length).toBeLessThan(700);

    const result = extract(content);

    expect(result.occurrences).toEqual([]);
    expect(result.diagnostics).toHaveLength(1);
    const [diagnostic] = result.diagnostics;
    expect(diagnostic).toMatchObject({ file: FILE, line: 30, severity: 'warning' });
    expect(diagnostic!.message).toBe(
      'FROM "${A28}": variable A28 cannot be resolved: the value expands to more than 4096 characters; not reported',
    );
    expect(diagnostic!.message.length).toBeLessThan(1000);
  });

  it('still expands values just under the limit', () => {
    // 2 × 2^10 = 2,048 characters: a valid (absurd) name, reported as such.
    const result = extract(doubling(10));

    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toMatch(/^FROM "\$\{A10\}" \(expands to "(ab){100}…"\): /);
  });

  it('stops a value that ends past the bound on its last piece', () => {
    const content = `ARG A=${'x'.repeat(4096)}\nFROM \${A}\${A}\n`;

    expect(extract(content).diagnostics.map((d) => d.message)).toEqual([
      'FROM "${A}${A}": the value expands to more than 4096 characters; not reported',
    ]);
  });

  it('bounds one word that repeats a variable many times while it grows', () => {
    // Unbounded, this word would expand to 1.2 GB and end in RangeError: Invalid string length.
    const content = `ARG A=${'x'.repeat(4000)}\nFROM ${'$A'.repeat(300_000)}\n`;

    const result = extract(content);

    expect(result.diagnostics.map((d) => d.message.replace(/".*"/, '…'))).toEqual([
      'FROM …: the value expands to more than 4096 characters; not reported',
    ]);
    expect(result.diagnostics[0]!.message.length).toBeLessThan(400);
  });

  it('escapes control characters in quoted values', () => {
    const result = extract('FROM nginx\u001b[2J:1\n');

    expect(result.diagnostics).toEqual([
      diag(1, 'error', 'FROM "nginx\\u001b[2J:1": repository "nginx\\u001b[2J" must be lowercase'),
    ]);
  });
});
