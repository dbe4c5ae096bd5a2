import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ImageReference } from '../../src/reference/types.js';
import { type FieldsTarget, fieldSplices } from '../../src/rewrite/fields.js';
import { applySplices, mergeSplices } from '../../src/rewrite/splice.js';
import type { ScalarSpan, ScalarStyle } from '../../src/scan/types.js';

const D = `sha256:${'d'.repeat(64)}`;
const DEST: ImageReference = {
  registry: '127.0.0.1:5000',
  repository: 'm/docker.io/library/nginx',
  tag: '1.27',
  digest: D,
};

/** The span of the `nth` occurrence of `text` in `content` (quotes included for quoted styles). */
function span(content: string, text: string, style: ScalarStyle = 'plain', nth = 0): ScalarSpan {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = content.indexOf(text, start + 1);
  if (start < 0) throw new Error(`${text} not in fixture`);
  const value = style === 'plain' ? text : (parse(text) as string);
  return { start, end: start + text.length, style, value };
}

function target(
  content: string,
  format: 'kustomize' | 'helm',
  fields: Record<string, ScalarSpan>,
  mapping: { from: string; to: string; indent: number; flow?: boolean },
): FieldsTarget {
  const start = content.indexOf(mapping.from);
  const end = content.indexOf(mapping.to, start) + mapping.to.length;
  return {
    type: 'fields',
    format,
    fields,
    mapping: { start, end, flow: mapping.flow ?? false, indent: mapping.indent },
  };
}

function rewrite(content: string, t: FieldsTarget, destination: ImageReference = DEST, eol = '\n'): string {
  const result = fieldSplices(content, t, destination, eol);
  if (!result.ok) throw new Error(result.reason);
  const merged = mergeSplices(result.splices);
  if (!merged.ok) throw new Error(merged.reason);
  return applySplices(content, merged.splices);
}

describe('Kustomize', () => {
  it('inserts newName and digest after the last line of a block entry, never touching name', () => {
    const content = 'images:\n  - name: nginx\n    newTag: "1.27" # pinned\n  - name: redis\n';
    const t = target(
      content,
      'kustomize',
      { name: span(content, 'nginx'), newTag: span(content, '"1.27"', 'double') },
      {
        from: 'name: nginx',
        to: '"1.27"',
        indent: 4,
      },
    );

    expect(rewrite(content, t)).toBe(
      'images:\n  - name: nginx\n    newTag: "1.27" # pinned\n' +
        `    newName: 127.0.0.1:5000/m/docker.io/library/nginx\n    digest: ${D}\n  - name: redis\n`,
    );
  });

  it('replaces existing newName and digest in their own quoting style and inserts a missing newTag', () => {
    const old = `sha256:${'0'.repeat(64)}`;
    const content = `images:\r\n- name: nginx\r\n  newName: 'docker.io/nginx'\r\n  digest: "${old}"`;
    const t = target(
      content,
      'kustomize',
      {
        name: span(content, 'nginx'),
        newName: span(content, "'docker.io/nginx'", 'single'),
        digest: span(content, `"${old}"`, 'double'),
      },
      { from: 'name: nginx', to: `"${old}"`, indent: 2 },
    );

    expect(rewrite(content, t, DEST, '\r\n')).toBe(
      "images:\r\n- name: nginx\r\n  newName: '127.0.0.1:5000/m/docker.io/library/nginx'\r\n" +
        `  digest: "${D}"\r\n  newTag: "1.27"`,
    );
  });

  it('appends pairs inside a flow mapping', () => {
    const content = 'images: [{name: nginx, newTag: "1.27" }]\n';
    const t = target(
      content,
      'kustomize',
      { name: span(content, 'nginx'), newTag: span(content, '"1.27"', 'double') },
      {
        from: '{name',
        to: '}',
        indent: 0,
        flow: true,
      },
    );

    expect(rewrite(content, t)).toBe(
      `images: [{name: nginx, newTag: "1.27", newName: 127.0.0.1:5000/m/docker.io/library/nginx, digest: ${D} }]\n`,
    );
  });

  it('sets newTag and adds no digest when not pinning', () => {
    const content = 'images:\n- name: nginx\n  newTag: "1.25"\n';
    const t = target(
      content,
      'kustomize',
      { name: span(content, 'nginx'), newTag: span(content, '"1.25"', 'double') },
      {
        from: 'name: nginx',
        to: '"1.25"',
        indent: 2,
      },
    );

    expect(rewrite(content, t, { ...DEST, digest: undefined })).toBe(
      'images:\n- name: nginx\n  newTag: "1.27"\n  newName: 127.0.0.1:5000/m/docker.io/library/nginx\n',
    );
  });
});

describe('Helm', () => {
  const helm =
    'image:\n  registry: docker.io\n  repository: bitnami/redis\n  tag: 7.2.4\n  pullPolicy: IfNotPresent\n';
  const redis: ImageReference = {
    registry: '127.0.0.1:5000',
    repository: 'm/docker.io/bitnami/redis',
    tag: '7.2.4',
    digest: D,
  };

  it('splits host and path over registry and repository and pins through tag when there is no digest key', () => {
    const t = target(
      helm,
      'helm',
      {
        registry: span(helm, 'docker.io'),
        repository: span(helm, 'bitnami/redis'),
        tag: span(helm, '7.2.4'),
      },
      { from: 'registry', to: 'IfNotPresent', indent: 2 },
    );

    expect(rewrite(helm, t, redis)).toBe(
      `image:\n  registry: 127.0.0.1:5000\n  repository: m/docker.io/bitnami/redis\n  tag: 7.2.4@${D}\n  pullPolicy: IfNotPresent\n`,
    );
  });

  it('keeps the tag when not pinning and the source had no digest', () => {
    const t = target(
      helm,
      'helm',
      {
        registry: span(helm, 'docker.io'),
        repository: span(helm, 'bitnami/redis'),
        tag: span(helm, '7.2.4'),
      },
      { from: 'registry', to: 'IfNotPresent', indent: 2 },
    );

    expect(rewrite(helm, t, { ...redis, digest: undefined })).toBe(
      'image:\n  registry: 127.0.0.1:5000\n  repository: m/docker.io/bitnami/redis\n  tag: 7.2.4\n  pullPolicy: IfNotPresent\n',
    );
  });

  it('qualifies repository with the host when there is no registry key, and fills an existing digest key', () => {
    const content = 'image: {repository: "bitnami/redis", tag: "7.2.4", digest: ""}\n';
    const t = target(
      content,
      'helm',
      {
        repository: span(content, '"bitnami/redis"', 'double'),
        tag: span(content, '"7.2.4"', 'double'),
        digest: span(content, '""', 'double'),
      },
      { from: '{', to: '}', indent: 0, flow: true },
    );

    expect(rewrite(content, t, redis)).toBe(
      `image: {repository: "127.0.0.1:5000/m/docker.io/bitnami/redis", tag: "7.2.4", digest: "${D}"}\n`,
    );
  });

  it('leaves a field alone when it already holds the value, even one that could not be written plain', () => {
    const content = 'image:\n  repository: bitnami/redis\n  tag: 7\n  digest: ""\n';
    const t = target(
      content,
      'helm',
      {
        repository: span(content, 'bitnami/redis'),
        tag: span(content, '7'),
        digest: span(content, '""', 'double'),
      },
      { from: 'repository', to: '""', indent: 2 },
    );

    expect(rewrite(content, t, { ...redis, tag: '7' })).toBe(
      `image:\n  repository: 127.0.0.1:5000/m/docker.io/bitnami/redis\n  tag: 7\n  digest: "${D}"\n`,
    );
  });

  it('inserts a tag when the block has none', () => {
    const content = 'image:\n  repository: bitnami/redis\n';
    const t = target(
      content,
      'helm',
      { repository: span(content, 'bitnami/redis') },
      {
        from: 'repository',
        to: 'redis',
        indent: 2,
      },
    );

    expect(rewrite(content, t, { ...redis, tag: '7' })).toBe(
      `image:\n  repository: 127.0.0.1:5000/m/docker.io/bitnami/redis\n  tag: 7@${D}\n`,
    );
    expect(rewrite(content, t, { ...redis, tag: '7', digest: undefined })).toBe(
      'image:\n  repository: 127.0.0.1:5000/m/docker.io/bitnami/redis\n',
    );
  });

  it('inserts after a block scalar that ends with its line break', () => {
    const content = 'image:\n  repository: |\n    bitnami/redis\nnext: 1\n';
    const t: FieldsTarget = {
      type: 'fields',
      format: 'helm',
      fields: {
        repository: { ...span(content, '|\n    bitnami/redis\n', 'block-literal'), value: 'bitnami/redis\n' },
      },
      mapping: { start: content.indexOf('repository'), end: content.indexOf('next'), flow: false, indent: 2 },
    };

    expect(rewrite(content, t, redis)).toBe(
      `image:\n  repository: |\n    127.0.0.1:5000/m/docker.io/bitnami/redis\n  tag: 7.2.4@${D}\nnext: 1\n`,
    );
  });

  it('refuses a digest-only image without a digest key', () => {
    const t = target(
      helm,
      'helm',
      { repository: span(helm, 'bitnami/redis') },
      { from: 'registry', to: 'IfNotPresent', indent: 2 },
    );

    expect(fieldSplices(helm, t, { ...redis, tag: undefined }, '\n')).toEqual({
      ok: false,
      reason: 'a digest-only Helm image needs a digest key',
    });
  });

  it('refuses a field whose text is not what the scanner saw', () => {
    const t = target(
      helm,
      'helm',
      { repository: { ...span(helm, 'bitnami/redis'), value: 'bitnami/other' } },
      {
        from: 'registry',
        to: 'IfNotPresent',
        indent: 2,
      },
    );

    expect(fieldSplices(helm, t, redis, '\n')).toEqual({
      ok: false,
      reason: `repository: expected "bitnami/other" at offset ${helm.indexOf('bitnami')}, found "bitnami/redis"`,
    });
  });
});
