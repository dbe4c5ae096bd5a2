/**
 * Rewrites of references partly built from variables: the default inside `${VAR:-image}` and the
 * literal name in front of a variable tag, in Dockerfiles and in every compose scalar style, each
 * proven by the re-scan in applyEdits.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destinationFor, type Edit } from '../../src/plan/index.js';
import { formatReference, parseReference } from '../../src/reference/index.js';
import { applyEdits, unpinnedNote, verifyRewrite } from '../../src/rewrite/index.js';
import { checkSpan } from '../../src/rewrite/span-check.js';
import { notMirroredReason } from '../../src/scan/placeholders.js';
import { copyDigest, extract, MIRROR, rewriteFile } from './pipeline.js';

/** The mirrored name of a source, e.g. `127.0.0.1:5000/mirror/docker.io/library/node`. */
function mirrorName(source: string): string {
  return destinationFor(parseReference(source), { destination: MIRROR });
}

/** The pinned mirror reference the pipeline writes for a canonical tagged source. */
function pinned(source: string): string {
  return `${mirrorName(source)}:${parseReference(source).tag}@${copyDigest(source)}`;
}

/** The fixed note of a `name` edit whose tag variable `variable` defaults to `tag`. */
function note(variable: string, tag: string): string {
  return `${variable}: only the default's tag (${tag}) was mirrored; other values pull tags the mirror does not have until they are mirrored too; not digest-pinned`;
}

describe('Dockerfiles', () => {
  it('writes the mirror into ${VAR:-image} defaults, keeping a BOM and CRLF', () => {
    const content =
      '\uFEFFARG BASE\r\nFROM ${BASE:-nginx:1.27}\r\nCOPY --from=${TOOLS-busybox:1.36} /bin/sh /sh\r\n';

    const { plan, result } = rewriteFile('Dockerfile', content);

    expect(result).toEqual({
      ok: true,
      content: `\uFEFFARG BASE\r\nFROM \${BASE:-${pinned('docker.io/library/nginx:1.27')}}\r\nCOPY --from=\${TOOLS-${pinned('docker.io/library/busybox:1.36')}} /bin/sh /sh\r\n`,
      changed: plan.files[0]?.edits,
    });
    expect(plan.files[0]?.edits.map((e) => e.note)).toEqual([undefined, undefined]);
  });

  it('rewrites only the name before a variable tag, unpinned, with a note', () => {
    const content =
      'ARG V=20\r\nARG IMAGE="golang:${GO:-1.22}"\r\nFROM node:${V}-alpine AS a\r\nFROM ${IMAGE}\r\n';

    const { plan, result } = rewriteFile('Dockerfile', content);

    const node = mirrorName('node');
    const golang = mirrorName('golang');
    expect(result).toEqual({
      ok: true,
      content: `ARG V=20\r\nARG IMAGE="${golang}:\${GO:-1.22}"\r\nFROM ${node}:\${V}-alpine AS a\r\nFROM \${IMAGE}\r\n`,
      changed: plan.files[0]?.edits,
    });
    expect(plan.files[0]?.edits.map((e) => [formatReference(e.destination), e.note])).toEqual([
      [`${node}:20-alpine`, note('V', '20-alpine')],
      [`${golang}:1.22`, note('GO', '1.22')],
    ]);
  });

  it('names the tag variables in the note when they are known, and has no note for a pinned or whole reference', () => {
    const content =
      'ARG V=20\nFROM node:${V}-alpine\nFROM node:${V}@sha256:' + 'a'.repeat(64) + '\nFROM busybox:1\n';
    const [name, pinnedName, whole] = extract('Dockerfile', content).occurrences;

    const notes = [
      unpinnedNote(name!, ['V']),
      unpinnedNote(name!, ['A', 'B']),
      unpinnedNote(pinnedName!, ['V']),
      unpinnedNote(whole!),
    ];

    const rest =
      'other values pull tags the mirror does not have until they are mirrored too; not digest-pinned';
    expect(notes).toEqual([
      `V: only the default's tag (20-alpine) was mirrored; ${rest}`,
      `A, B: only the default's tag (20-alpine) was mirrored; ${rest}`,
      undefined,
      undefined,
    ]);
  });

  it('writes the same text with pinDigest false', () => {
    const content = 'ARG V=20\nFROM node:${V}-alpine\n';

    const pinning = rewriteFile('Dockerfile', content);
    const notPinning = rewriteFile('Dockerfile', content, { pinDigest: false });

    const expected = `ARG V=20\nFROM ${mirrorName('node')}:\${V}-alpine\n`;
    expect(pinning.result).toEqual({ ok: true, content: expected, changed: pinning.plan.files[0]?.edits });
    expect(notPinning.result).toEqual({
      ok: true,
      content: expected,
      changed: notPinning.plan.files[0]?.edits,
    });
    expect(notPinning.plan.files[0]?.edits.map((e) => formatReference(e.destination))).toEqual([
      `${mirrorName('node')}:20-alpine`,
    ]);
  });

  it('refuses a pinned destination for a name target: the variable tag cannot carry it', () => {
    const content = 'ARG V=20\nFROM node:${V}\n';
    const occurrence = extract('Dockerfile', content).occurrences[0]!;
    const edit: Edit = { occurrence, destination: parseReference(pinned('docker.io/library/node:20')) };

    expect(applyEdits('Dockerfile', content, [edit], extract)).toEqual({
      ok: false,
      reason: `Dockerfile:2: the tag comes from a variable and is kept, so the new reference must keep the source's tag and digest (${pinned('docker.io/library/node:20')} does not)`,
    });
  });

  it('verifies a name rewrite against the tag the defaults give', () => {
    const before = 'ARG V=20\nFROM node:${V}\n';
    const occurrence = extract('Dockerfile', before).occurrences[0]!;
    const destination = parseReference(`${mirrorName('node')}:20`);
    const after = `ARG V=21\nFROM ${mirrorName('node')}:\${V}\n`;
    const splices = [
      { start: 14, end: 18, text: mirrorName('node') },
      { start: 6, end: 8, text: '21' },
    ];

    const verified = verifyRewrite({
      file: 'Dockerfile',
      before,
      after,
      splices,
      edits: [{ occurrence, destination }],
      extract,
    });

    expect(verified).toEqual({
      ok: false,
      reason: `line 2 (as scanned before): expected ${mirrorName('node')}:20, the re-scan found ${mirrorName('node')}:21`,
    });
  });
});

describe('compose', () => {
  it('rewrites defaults and names in plain, double- and single-quoted scalars, keeping CRLF and comments', () => {
    const lines = (images: string[]) =>
      `services:\r\n${images.map((image, i) => `  s${i}:\r\n    image: ${image}\r\n`).join('')}`;
    const content = lines([
      '${A:-postgres:16}',
      '"${B-redis:7}"',
      "'${C:-nginx:1.27}' # keep",
      '"quay.io/x/y:${T:-1}"',
      "'ghcr.io/o/app:v${T:-2}'",
      'localhost:5000/z:${T:-3}',
    ]);

    const { plan, result } = rewriteFile('compose.yaml', content);

    expect(result).toEqual({
      ok: true,
      content: lines([
        `\${A:-${pinned('docker.io/library/postgres:16')}}`,
        `"\${B-${pinned('docker.io/library/redis:7')}}"`,
        `'\${C:-${pinned('docker.io/library/nginx:1.27')}}' # keep`,
        `"${mirrorName('quay.io/x/y')}:\${T:-1}"`,
        `'${mirrorName('ghcr.io/o/app')}:v\${T:-2}'`,
        `${mirrorName('localhost:5000/z')}:\${T:-3}`,
      ]),
      changed: plan.files[0]?.edits,
    });
    expect(plan.files[0]?.edits.map((e) => e.note)).toEqual([
      undefined,
      undefined,
      undefined,
      note('T', '1'),
      note('T', 'v2'),
      note('T', '3'),
    ]);
  });

  it('refuses a destination that cannot be written inside the scalar as is', () => {
    const content = 'services:\n  db:\n    image: "${DB:-postgres:16}"\n';
    const occurrence = extract('compose.yaml', content).occurrences[0]!;
    const destination = {
      registry: '127.0.0.1:5000',
      repository: 'mirror/a"b',
      tag: '16',
      digest: undefined,
    };

    expect(applyEdits('compose.yaml', content, [{ occurrence, destination }], extract)).toEqual({
      ok: false,
      reason:
        'compose.yaml:3: "127.0.0.1:5000/mirror/a"b:16" cannot be written inside a double YAML scalar as is',
    });
  });

  it('still reports a variable registry as not rewritable, and copies it', () => {
    const content = 'services:\n  db:\n    image: ${REGISTRY:-docker.io}/library/postgres:16\n';

    const { plan, result } = rewriteFile('compose.yaml', content);

    expect(plan).toEqual({ files: [], skipped: [] });
    expect(result).toEqual({ ok: true, content, changed: [] });
  });
});

describe('checkSpan on inner spans', () => {
  it('compares the source text itself, which YAML alone would read as another type', () => {
    const content = 'image: "123:${T:-1}"';

    expect(checkSpan(content, { start: 8, end: 11, style: 'double-inner', value: '123' })).toBeUndefined();
    expect(checkSpan(content, { start: 8, end: 11, style: 'double-inner', value: '124' })).toBe(
      'expected "124" at offset 8, found "123"',
    );
  });
});

describe('every quoting style and line ending (property)', () => {
  // An all-caps tag with underscores (`AA_A`) is a pipeline's placeholder, reported as a notice.
  const tag = fc
    .stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}$/)
    .filter((t) => notMirroredReason(`x:${t}`) === undefined);
  const variable = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);
  const name = fc.constantFrom('redis', 'quay.io/org/app', 'localhost:5000/a/b', 'ghcr.io/o/p');
  const where = fc.constantFrom('dockerfile', 'plain', 'double', 'single');
  const shape = fc.constantFrom('default', 'name');
  const eol = fc.constantFrom('\n', '\r\n');

  it('re-scans to the mirror reference (pinned for a default, the expanded tag for a name)', () => {
    fc.assert(
      fc.property(where, shape, name, variable, tag, eol, (style, kind, image, v, t, nl) => {
        const text = kind === 'default' ? `\${${v}:-${image}:${t}}` : `${image}:\${${v}:-${t}}`;
        const quote = style === 'double' ? '"' : style === 'single' ? "'" : '';
        const file = style === 'dockerfile' ? 'Dockerfile' : 'compose.yaml';
        const content =
          style === 'dockerfile'
            ? `FROM ${text}${nl}`
            : `services:${nl}  a:${nl}    image: ${quote}${text}${quote}${nl}`;

        const { result } = rewriteFile(file, content);

        if (!result.ok) throw new Error(result.reason);
        const source = formatReference(parseReference(`${image}:${t}`));
        const expected = kind === 'default' ? pinned(source) : `${mirrorName(source)}:${t}`;
        expect(extract(file, result.content).occurrences.map((o) => formatReference(o.reference))).toEqual([
          expected,
        ]);
      }),
      { numRuns: 300 },
    );
  });
});
