/**
 * The container image's Dockerfile, checked without a Docker engine (none runs here; CI builds
 * and runs the image on GitHub's runners): ar-mirror's own Dockerfile scanner and dockerfile-ast
 * read it, and the rules an image for Cloud Build and Cloud Run must keep are asserted.
 */
import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { extractDockerfile } from '../../src/scan/dockerfile/index.js';

const root = new URL('../../', import.meta.url);
const text = readFileSync(new URL('Dockerfile', root), 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();
const args = (keyword: string) =>
  instructions
    .filter((i) => i.getKeyword() === keyword)
    .map((i) => i.getArguments().map((a) => a.getValue() ?? ''));

describe('Dockerfile', () => {
  it('has one base image, pinned by digest (found by ar-mirror own scanner)', () => {
    const { occurrences, diagnostics } = extractDockerfile(text, 'Dockerfile');

    expect(diagnostics).toEqual([]);
    expect(occurrences.map((o) => [o.kind, o.reference.repository, o.reference.tag])).toEqual([
      ['dockerfile-from', 'library/node', '22-alpine'],
    ]);
    expect(occurrences[0]!.reference.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(dockerfile.getFROMs().length).toBe(1);
  });

  it('runs as a numeric non-root user, set after every instruction that needs root', () => {
    const users = args('USER');
    const last = users.at(-1)?.[0] ?? 'root';
    const lastUserLine = instructions.findLastIndex((i) => i.getKeyword() === 'USER');

    expect(last).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(instructions.slice(lastUserLine).map((i) => i.getKeyword())).toEqual([
      'USER',
      'ENTRYPOINT',
      'CMD',
    ]);
  });

  it('has the bundled CLI as its exec-form entrypoint', () => {
    const entrypoint = instructions.find((i) => i.getKeyword() === 'ENTRYPOINT')!;
    const copies = args('COPY');

    expect(JSON.parse(entrypoint.getRawArgumentsContent() ?? '')).toEqual(['node', '/opt/ar-mirror/cli.js']);
    expect(copies).toContainEqual(['dist/cli.js', '/opt/ar-mirror/cli.js']);
    // The entry point imports its chunks by relative path: they sit beside it.
    expect(copies).toContainEqual(['dist/cli-chunks/', '/opt/ar-mirror/cli-chunks/']);
    expect(args('CMD')).toEqual([['["--help"]']]);
  });

  it('fetches nothing at build time: no ADD, no RUN', () => {
    expect(instructions.map((i) => i.getKeyword()).filter((k) => k === 'ADD' || k === 'RUN')).toEqual([]);
  });

  it('copies only what .dockerignore lets into the context', () => {
    const rules = readFileSync(new URL('.dockerignore', root), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    // Docker's rule: the last matching line wins, and a line matching a parent directory matches
    // everything below it.
    const prefixes = (path: string) => path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    const sent = (path: string) =>
      rules.reduce((kept, rule) => {
        const negated = rule.startsWith('!');
        const matches = picomatch(negated ? rule.slice(1) : rule, { dot: true });
        return prefixes(path).some((prefix) => matches(prefix)) ? negated : kept;
      }, true);

    for (const [source] of args('COPY')) expect(sent(source ?? '')).toBe(true);
    expect(sent('dist/cli-chunks/copy-ABC.js')).toBe(true);
    for (const path of [
      'node_modules/yaml/index.js',
      '.git/config',
      'gha-creds-1.json',
      'src/cli.ts',
      'dist/index.js',
    ])
      expect(sent(path)).toBe(false);
  });
});
