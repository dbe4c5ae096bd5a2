/**
 * The Dockerfile finder, one corner case per test (inline strings, whole occurrences compared).
 * Longer than the 500-line guide on purpose: every case the issue names is here, side by side,
 * so a reader can check coverage in one place.
 */
import { describe, expect, it } from 'vitest';
import { dockerfileFinder, extractDockerfile } from '../../src/scan/dockerfile/index.js';
import type { Diagnostic } from '../../src/scan/types.js';
import { type AtOptions, at as atIn, ref } from './dockerfile-expect.js';

const FILE = 'app/Dockerfile';

const at = (content: string, raw: string, reference: ReturnType<typeof ref>, options: AtOptions = {}) =>
  atIn(content, raw, reference, { file: FILE, ...options });

function diag(line: number, severity: Diagnostic['severity'], message: string): Diagnostic {
  return { file: FILE, line, severity, message };
}

const extract = (content: string) => extractDockerfile(content, FILE);
const NGINX = ref('docker.io', 'library/nginx', '1.25');

describe('FROM', () => {
  it('reports a plain base image with its exact span', () => {
    const content = 'FROM nginx:1.25\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        {
          file: FILE,
          kind: 'dockerfile-from',
          start: { line: 1, column: 6 },
          end: { line: 1, column: 16 },
          raw: 'nginx:1.25',
          reference: NGINX,
          target: {
            type: 'scalar',
            scalar: { start: 5, end: 15, style: 'dockerfile', value: 'nginx:1.25' },
            prefix: '',
          },
        },
      ],
      diagnostics: [],
    });
  });

  it('skips --platform and reads the image after it; AS names are not images', () => {
    const content = 'FROM --platform=$BUILDPLATFORM golang:1.22@sha256:' + 'a'.repeat(64) + ' AS build\n';

    const result = extract(content);

    const image = `golang:1.22@sha256:${'a'.repeat(64)}`;
    const reference = ref('docker.io', 'library/golang', '1.22', `sha256:${'a'.repeat(64)}`);
    expect(result).toEqual({ occurrences: [at(content, image, reference)], diagnostics: [] });
  });

  it('ignores scratch and earlier stages (case-insensitively), but not a stage defined later', () => {
    const content = [
      'FROM scratch AS Base',
      'FROM BASE AS second',
      'FROM later',
      'FROM Second',
      'FROM alpine:3 AS later',
      '',
    ].join('\n');

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'later', ref('docker.io', 'library/later', 'latest'), { nth: 0 }),
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
      ],
      diagnostics: [],
    });
  });

  it('reports an invalid reference as a diagnostic quoting it', () => {
    const content = 'FROM Nginx:1\nARG B=UPPER/x\nFROM $B\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        diag(1, 'error', 'FROM "Nginx:1": repository "Nginx" must be lowercase'),
        diag(3, 'warning', 'FROM "$B": variable B is not declared by an ARG in scope; not reported'),
      ],
    });
  });

  it('reports a FROM without an image', () => {
    expect(extract('FROM --platform=linux/amd64\n')).toEqual({
      occurrences: [],
      diagnostics: [diag(1, 'warning', 'FROM without an image')],
    });
  });
});

describe('ARG substitution', () => {
  it('points at the ARG default when one ARG supplies the whole image, once per FROM', () => {
    const content = 'ARG BASE=nginx:1.25\nFROM ${BASE} AS one\nFROM $BASE\n';

    const result = extract(content);

    const occurrence = at(content, 'nginx:1.25', NGINX);
    expect(result).toEqual({ occurrences: [occurrence, occurrence], diagnostics: [] });
  });

  it('points inside the quotes of a quoted default, with the unquoted value', () => {
    const content = 'ARG X="nginx:1.25" Y=\'ghcr.io/a/b:2\'\nFROM ${X}\nFROM ${Y}\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'nginx:1.25', NGINX),
        at(content, 'ghcr.io/a/b:2', ref('ghcr.io', 'a/b', '2')),
      ],
      diagnostics: [],
    });
  });

  it('resolves several ARGs on one line', () => {
    const content = 'ARG A=node B=20 C\nFROM ${A}:${B}-alpine\n';

    const result = extract(content);

    const reference = ref('docker.io', 'library/node', '20-alpine');
    expect(result).toEqual({ occurrences: [at(content, '${A}:${B}-alpine', reference)], diagnostics: [] });
  });

  it('points at the literal name when only the tag is built from variables', () => {
    const content = 'ARG NODE_VERSION=20.11\nFROM node:${NODE_VERSION}-alpine\n';

    const result = extract(content);

    const reference = ref('docker.io', 'library/node', '20.11-alpine');
    expect(result).toEqual({
      occurrences: [at(content, 'node', reference, { part: 'name' })],
      diagnostics: [],
    });
  });

  it('applies ${V:-d} to set-but-empty variables and ${V-d} only to unset ones', () => {
    const content = 'ARG E=\nFROM ${E:-nginx:1.25}\nFROM ${E-nginx:1.25}\nFROM ${UNDECLARED-nginx:1.25}\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [at(content, 'nginx:1.25', NGINX), at(content, 'nginx:1.25', NGINX, { nth: 2 })],
      diagnostics: [diag(3, 'error', 'FROM "${E-nginx:1.25}" (expands to ""): empty reference')],
    });
  });

  it('follows a default built from another ARG to the ARG that holds the image', () => {
    const content = [
      'ARG REGISTRY=ghcr.io',
      'ARG IMAGE=${REGISTRY}/acme/base:1',
      'ARG ALIAS=$IMAGE',
      'FROM $ALIAS',
      '',
    ].join('\n');

    const result = extract(content);

    const occurrence = at(content, '${REGISTRY}/acme/base:1', ref('ghcr.io', 'acme/base', '1'), {
      value: 'ghcr.io/acme/base:1',
    });
    expect(result).toEqual({ occurrences: [occurrence], diagnostics: [] });
  });

  it('never guesses an unresolvable variable', () => {
    const content =
      'ARG NO_DEFAULT\nFROM $NO_DEFAULT\nFROM ${UNKNOWN}\nFROM alpine-${TARGETARCH}\nFROM ${X:?required}\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [],
      diagnostics: [
        diag(
          2,
          'warning',
          'FROM "$NO_DEFAULT": variable NO_DEFAULT has no default value (it is set with --build-arg at build time); not reported',
        ),
        diag(
          3,
          'warning',
          'FROM "${UNKNOWN}": variable UNKNOWN is not declared by an ARG in scope; not reported',
        ),
        diag(
          4,
          'warning',
          'FROM "alpine-${TARGETARCH}": variable TARGETARCH is set by the builder at build time; not reported',
        ),
        diag(5, 'warning', 'FROM "${X:?required}": variable X must be set: "required"; not reported'),
      ],
    });
  });

  it('does not let an ARG declared inside a stage reach a later FROM', () => {
    const content = 'FROM alpine:3\nARG INNER=nginx:1.25\nFROM ${INNER}\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3'))],
      diagnostics: [
        diag(
          3,
          'warning',
          'FROM "${INNER}": variable INNER is not declared by an ARG in scope; not reported',
        ),
      ],
    });
  });

  it('gives stage instructions the stage ARGs and redeclared global ARGs only', () => {
    const content = [
      'ARG TOOLS=ghcr.io/acme/tools:1',
      'ARG OTHER=ghcr.io/acme/other:1',
      'FROM alpine:3',
      'ARG TOOLS',
      'ARG CACHE=ghcr.io/acme/cache:2',
      'COPY --from=${TOOLS} /bin/tool /bin/',
      'RUN --mount=type=bind,from=$CACHE,target=/c true',
      'COPY --from=$OTHER /x /y',
      '',
    ].join('\n');

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
        at(content, 'ghcr.io/acme/tools:1', ref('ghcr.io', 'acme/tools', '1'), {
          kind: 'dockerfile-copy-from',
        }),
        at(content, 'ghcr.io/acme/cache:2', ref('ghcr.io', 'acme/cache', '2'), {
          kind: 'dockerfile-mount-from',
        }),
      ],
      diagnostics: [
        diag(
          8,
          'warning',
          'COPY --from "$OTHER": variable OTHER is not declared by an ARG in scope; not reported',
        ),
      ],
    });
  });
});

describe('COPY --from and RUN --mount', () => {
  it('finds --from among other flags; stage names and indexes are not images', () => {
    const content = [
      'FROM golang:1.22 AS Build',
      'FROM alpine:3',
      'COPY --link --chmod=755 --from=build /out /bin/',
      'COPY --from=0 /a /b',
      'COPY --chown=1:1 --from="ghcr.io/acme/assets:3" /assets /srv',
      'COPY --from=later /x /y',
      'FROM alpine:3 AS later',
      '',
    ].join('\n');

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'golang:1.22', ref('docker.io', 'library/golang', '1.22')),
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
        at(content, 'ghcr.io/acme/assets:3', ref('ghcr.io', 'acme/assets', '3'), {
          kind: 'dockerfile-copy-from',
        }),
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3'), { nth: 1 }),
      ],
      diagnostics: [],
    });
  });

  it('reads from= in --mount options, for images and stages', () => {
    const content = [
      'FROM node:20 AS deps',
      'FROM node:20',
      'RUN --mount=type=cache,target=/root/.npm,from=deps --mount=type=bind,from=ghcr.io/acme/cfg:1,source=/c,target=/c npm ci',
      'RUN --network=none --mount=type=cache,id=x,target=/y make',
      '',
    ].join('\n');

    const result = extract(content);

    const node = ref('docker.io', 'library/node', '20');
    expect(result).toEqual({
      occurrences: [
        at(content, 'node:20', node),
        at(content, 'node:20', node, { nth: 1 }),
        at(content, 'ghcr.io/acme/cfg:1', ref('ghcr.io', 'acme/cfg', '1'), { kind: 'dockerfile-mount-from' }),
      ],
      diagnostics: [],
    });
  });
});

describe('ONBUILD', () => {
  it('reports images of ONBUILD COPY/RUN triggers and explains what it leaves out', () => {
    const content = [
      'FROM alpine:3',
      'ONBUILD COPY --from=ghcr.io/acme/tools:1 /t /t',
      'ONBUILD RUN --mount=type=bind,from=busybox:1.36,target=/b true',
      'ONBUILD COPY --from=builder /x /y',
      'ONBUILD COPY --from=${IMG} /x /y',
      'ONBUILD FROM nginx:1.25',
      '',
    ].join('\n');

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
        at(content, 'ghcr.io/acme/tools:1', ref('ghcr.io', 'acme/tools', '1'), {
          kind: 'dockerfile-onbuild',
        }),
        at(content, 'busybox:1.36', ref('docker.io', 'library/busybox', '1.36'), {
          kind: 'dockerfile-onbuild',
        }),
      ],
      diagnostics: [
        diag(
          4,
          'notice',
          'ONBUILD COPY --from "builder" may name a stage of the downstream build; not reported',
        ),
        diag(
          5,
          'warning',
          'ONBUILD COPY --from "${IMG}": ONBUILD variables are resolved by the downstream build; not reported',
        ),
        diag(6, 'warning', 'ONBUILD FROM is not allowed by Docker; its image is not reported'),
      ],
    });
  });
});

describe('directives', () => {
  it('reports the # syntax= frontend image', () => {
    const content = '# syntax=docker/dockerfile:1.7\n# escape=\\\nFROM alpine:3\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'docker/dockerfile:1.7', ref('docker.io', 'docker/dockerfile', '1.7'), {
          kind: 'dockerfile-syntax',
        }),
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
      ],
      diagnostics: [],
    });
  });

  it('treats a syntax line after a blank line as a comment', () => {
    const content = '\n# syntax=docker/dockerfile:1\nFROM alpine:3\n';

    expect(extract(content).occurrences.map((o) => o.raw)).toEqual(['alpine:3']);
  });

  it('continues lines with a backtick under # escape=`, and not with a backslash', () => {
    const content =
      '# escape=`\nFROM `\n  mcr.microsoft.com/windows/servercore:ltsc2022 `\n  AS base\nCOPY C:\\ C:\\x\\\nFROM base\n';

    const result = extract(content);

    const image = 'mcr.microsoft.com/windows/servercore:ltsc2022';
    expect(result).toEqual({
      occurrences: [at(content, image, ref('mcr.microsoft.com', 'windows/servercore', 'ltsc2022'))],
      diagnostics: [],
    });
  });

  it('reports an invalid escape directive', () => {
    expect(extract('# escape=x\nFROM alpine:3\n').diagnostics).toEqual([
      diag(1, 'warning', 'invalid escape directive "x" (expected \\ or `)'),
    ]);
  });
});

describe('line structure', () => {
  it('joins continuations across comment and empty lines', () => {
    const content =
      'FROM \\\n# a comment\n  --platform=linux/amd64 \\\n\n   nginx:1.25 \\\n  # another\n  AS web\nFROM web\n';

    const result = extract(content);

    expect(result).toEqual({ occurrences: [at(content, 'nginx:1.25', NGINX)], diagnostics: [] });
  });

  it('keeps the continuation inside the span when an image word is split across lines', () => {
    const content = 'FROM nginx:1.\\\n25\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [at(content, 'nginx:1.\\\n25', NGINX, { value: 'nginx:1.25' })],
      diagnostics: [],
    });
  });

  it('handles CRLF line endings: spans and raw text exclude the \\r', () => {
    const content = 'ARG BASE=nginx:1.25\r\nFROM $BASE \\\r\n  AS x\r\nFROM alpine:3\r\n';

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'nginx:1.25', NGINX),
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
      ],
      diagnostics: [],
    });
    expect(result.occurrences[1]?.start).toEqual({ line: 4, column: 6 });
  });

  it('counts columns on line 1 after a byte-order mark, offsets include it', () => {
    const content = '\uFEFFFROM nginx:1.25\n';

    const result = extract(content);

    expect(result.occurrences).toEqual([
      {
        ...at(content, 'nginx:1.25', NGINX),
        start: { line: 1, column: 6 },
        end: { line: 1, column: 16 },
      },
    ]);
    expect(result.occurrences[0]?.target).toEqual({
      type: 'scalar',
      scalar: { start: 6, end: 16, style: 'dockerfile', value: 'nginx:1.25' },
      prefix: '',
    });
  });
});

describe('heredocs', () => {
  it.each([
    ['<<EOF', 'EOF'],
    ['<<-EOF', '\tEOF'],
    ["<< 'EOF'", 'EOF'],
    ['<<"EOF"', 'EOF'],
    ['3<<EOF', 'EOF'],
  ])('nothing inside a %s body is an instruction', (opener, terminator) => {
    const content = `FROM alpine:3\nRUN cat ${opener} > /etc/x\nFROM evil:1 \\\nCOPY --from=evil:2 /a /b\n${terminator}\nFROM nginx:1.25\n`;

    const result = extract(content);

    expect(result).toEqual({
      occurrences: [
        at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3')),
        at(content, 'nginx:1.25', NGINX),
      ],
      diagnostics: [],
    });
  });

  it('reads several heredoc bodies in order, for COPY and ONBUILD RUN too', () => {
    const content = [
      'FROM alpine:3',
      'COPY <<A <<B /dest/',
      'FROM evil:1',
      'A',
      'FROM evil:2',
      'B',
      'ONBUILD RUN <<X',
      'FROM evil:3',
      'X',
      'FROM nginx:1.25',
      '',
    ].join('\n');

    expect(extract(content).occurrences.map((o) => o.raw)).toEqual(['alpine:3', 'nginx:1.25']);
  });

  it('does not open heredocs in JSON form, in quotes, or for here-strings', () => {
    const content =
      'FROM alpine:3\nRUN ["sh", "-c", "cat <<EOF"]\nRUN echo "<<EOF"\nRUN cat <<<EOF\nFROM nginx:1.25\n';

    expect(extract(content).occurrences.map((o) => o.raw)).toEqual(['alpine:3', 'nginx:1.25']);
  });

  it('reports an unterminated heredoc', () => {
    const content = 'FROM alpine:3\nRUN <<EOF\nFROM nginx:1.25\n';

    expect(extract(content)).toEqual({
      occurrences: [at(content, 'alpine:3', ref('docker.io', 'library/alpine', '3'))],
      diagnostics: [diag(2, 'warning', 'unterminated heredoc <<"EOF"')],
    });
  });
});

describe('dockerfileFinder', () => {
  it.each([
    ['Dockerfile', true],
    ['services/api/Dockerfile', true],
    ['Dockerfile.prod', true],
    ['build/api.Dockerfile', true],
    ['api.dockerfile', true],
    ['Containerfile', true],
    ['deploy/Containerfile.dev', true],
    ['Dockerfile.dockerignore', false],
    ['docs/Dockerfile.md/readme.txt', false],
    ['Dockerfile-old', true],
    ['Dockerfile-WINDOWS_LTSC2022', true],
    ['Dockerfile_arm', true],
    ['Dockerfile_arm.dockerignore', false],
    ['Dockerfiles/readme.md', false],
    ['.dockerfile', false],
    ['dockerfile', false],
    ['MyDockerfile', false],
    ['notes/Dockerfiles.txt', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(dockerfileFinder.matches(path)).toBe(expected);
  });

  it('extracts through the Finder interface with the given file name', () => {
    const result = dockerfileFinder.extract('FROM nginx:1.25\n', 'x/Containerfile', {
      hasSibling: () => false,
    });

    expect(result.occurrences.map((o) => [o.file, o.raw])).toEqual([['x/Containerfile', 'nginx:1.25']]);
    expect(dockerfileFinder.name).toBe('dockerfile');
  });
});
