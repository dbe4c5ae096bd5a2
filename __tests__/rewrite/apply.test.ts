import { describe, expect, it } from 'vitest';
import type { Edit } from '../../src/plan/index.js';
import { formatReference, parseReference } from '../../src/reference/index.js';
import { applyEdits, verifyRewrite } from '../../src/rewrite/index.js';
import { copyDigest, extract, MIRROR, rewriteFile } from './pipeline.js';

/** The pinned mirror reference the pipeline writes for a canonical source. */
function mirrored(source: string): string {
  const ref = parseReference(source);
  const at = source.indexOf('@');
  const name = `${MIRROR}/${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag ? `:${ref.tag}` : ''}@${at >= 0 ? source.slice(at + 1) : copyDigest(source)}`;
}

/** The edit that moves the only (or `index`th) occurrence of a file to `destination`. */
function editOf(file: string, content: string, destination: string, index = 0): Edit {
  const occurrence = extract(file, content).occurrences[index];
  if (!occurrence) throw new Error('no occurrence in fixture');
  return { occurrence, destination: parseReference(destination) };
}

describe('applyEdits on Dockerfiles', () => {
  it('keeps a BOM, CRLF line endings and a missing final newline byte for byte', () => {
    const content =
      '\uFEFF# base image\r\nARG BASE="alpine:3.20"\r\nFROM ${BASE} AS a\r\nFROM $BASE\r\nRUN echo hi';

    const { result } = rewriteFile('Dockerfile', content);

    expect(result.ok && result.content).toBe(
      `\uFEFF# base image\r\nARG BASE="${mirrored('docker.io/library/alpine:3.20')}"\r\nFROM \${BASE} AS a\r\nFROM $BASE\r\nRUN echo hi`,
    );
  });

  it('writes one change for an ARG default that several FROMs use', () => {
    const content = 'ARG BASE=alpine:3.20\nFROM ${BASE} AS a\nFROM $BASE\n';

    const { plan, result } = rewriteFile('Dockerfile', content);

    expect(plan.files[0]?.edits).toHaveLength(2);
    expect(result).toEqual({
      ok: true,
      content: `ARG BASE=${mirrored('docker.io/library/alpine:3.20')}\nFROM \${BASE} AS a\nFROM $BASE\n`,
      changed: plan.files[0]?.edits,
    });
  });

  it('keeps the tag only when not pinning', () => {
    const { result } = rewriteFile('Dockerfile', 'FROM nginx:1.27\n', { pinDigest: false });

    expect(result.ok && result.content).toBe(`FROM ${MIRROR}/docker.io/library/nginx:1.27\n`);
  });

  it('changes nothing for an edit that already holds its destination', () => {
    const content = `FROM ${MIRROR}/docker.io/library/nginx:1.27\n`;
    const edit = editOf('Dockerfile', content, `${MIRROR}/docker.io/library/nginx:1.27`);

    expect(applyEdits('Dockerfile', content, [edit], extract)).toEqual({ ok: true, content, changed: [] });
  });

  it('refuses the file when the re-scan does not show the intended reference', () => {
    // An uppercase path is not a valid reference: the splice succeeds, the re-scan must catch it.
    const content = 'FROM nginx:1.27\n';
    const edit = editOf('Dockerfile', content, 'nginx:1.27');
    const bad: Edit = { ...edit, destination: { ...edit.destination, repository: 'Mirror/nginx' } };

    expect(applyEdits('Dockerfile', content, [bad], extract)).toEqual({
      ok: false,
      reason:
        'Dockerfile: the rewrite did not verify: line 1 (as scanned before): expected docker.io/Mirror/nginx:1.27, the re-scan found nothing',
    });
  });

  it('refuses an occurrence whose span points somewhere else', () => {
    const content = '# nginx:1.27 was the old base\nFROM nginx:1.27\n';
    const edit = editOf('Dockerfile', content, `${MIRROR}/docker.io/library/nginx:1.27`);
    if (edit.occurrence.target.type !== 'scalar') throw new Error('expected a scalar target');
    const wrong: Edit = {
      ...edit,
      occurrence: {
        ...edit.occurrence,
        target: {
          ...edit.occurrence.target,
          scalar: { ...edit.occurrence.target.scalar, start: 2, end: 12 },
        },
      },
    };

    expect(applyEdits('Dockerfile', content, [wrong], extract)).toEqual({
      ok: false,
      reason: 'Dockerfile: the rewrite did not verify: line 2: nginx:1.27 is not in the file any more',
    });
  });

  it('refuses text that changed since the scan', () => {
    const edit = editOf('Dockerfile', 'FROM nginx:1.27\n', `${MIRROR}/docker.io/library/nginx:1.27`);

    expect(applyEdits('Dockerfile', 'FROM nginx:1.28\n', [edit], extract)).toEqual({
      ok: false,
      reason: 'Dockerfile:1: expected "nginx:1.27" at offset 5, found "nginx:1.28"',
    });
  });

  it('refuses two different destinations for one span', () => {
    const content = 'FROM nginx:1.27\n';
    const a = editOf('Dockerfile', content, `${MIRROR}/a/nginx:1.27`);
    const b = editOf('Dockerfile', content, `${MIRROR}/b/nginx:1.27`);

    expect(applyEdits('Dockerfile', content, [a, b], extract)).toEqual({
      ok: false,
      reason: `Dockerfile: conflicting edits at offset 5: "${MIRROR}/a/nginx:1.27" and "${MIRROR}/b/nginx:1.27"`,
    });
  });

  it('refuses an edit that belongs to another file', () => {
    const edit = editOf('Dockerfile', 'FROM nginx:1.27\n', `${MIRROR}/nginx:1.27`);

    expect(applyEdits('other/Dockerfile', 'FROM nginx:1.27\n', [edit], extract)).toEqual({
      ok: false,
      reason: 'other/Dockerfile:1: the edit belongs to Dockerfile',
    });
  });
});

describe('verifyRewrite', () => {
  it('catches a splice at the wrong place that leaves the real reference alone', () => {
    const before = '# nginx:1.27\nFROM nginx:1.27\n';
    const destination = `${MIRROR}/docker.io/library/nginx:1.27`;
    const edit = editOf('Dockerfile', before, destination);
    const splices = [{ start: 2, end: 12, text: destination }];
    const after = `# ${destination}\nFROM nginx:1.27\n`;

    expect(verifyRewrite({ file: 'Dockerfile', before, after, splices, edits: [edit], extract })).toEqual({
      ok: false,
      reason: `line 2 (as scanned before): expected ${destination}, the re-scan found docker.io/library/nginx:1.27`,
    });
  });

  it('catches a change to an occurrence nobody asked to edit', () => {
    const before = 'FROM nginx:1.27\nFROM redis:7\n';
    const destination = `${MIRROR}/docker.io/library/nginx:1.27`;
    const edit = editOf('Dockerfile', before, destination);
    const after = `FROM ${destination}\nFROM redis:8\n`;
    const splices = [
      { start: 28, end: 29, text: '8' },
      { start: 5, end: 15, text: destination },
    ];

    expect(verifyRewrite({ file: 'Dockerfile', before, after, splices, edits: [edit], extract })).toEqual({
      ok: false,
      reason:
        'line 2 (as scanned before): expected docker.io/library/redis:7, the re-scan found docker.io/library/redis:8',
    });
  });

  it('catches a reference the splice brought in', () => {
    const before = 'FROM nginx:1.27\n';
    const destination = `${MIRROR}/docker.io/library/nginx:1.27`;
    const edit = editOf('Dockerfile', before, destination);
    const text = `${destination}\nFROM redis:7`;
    const after = `FROM ${text}\n`;

    expect(
      verifyRewrite({
        file: 'Dockerfile',
        before,
        after,
        splices: [{ start: 5, end: 15, text }],
        edits: [edit],
        extract,
      }),
    ).toEqual({ ok: false, reason: 'the re-scan found unexpected references: docker.io/library/redis:7' });
  });

  it('catches a new diagnostic', () => {
    const before = 'image: nginx:1.27\n';
    const file = '.github/workflows/x.yml';
    const after = 'image: nginx:1.27\njobs: {a: {container: "$X"}}\n';

    expect(verifyRewrite({ file, before, after, splices: [], edits: [], extract })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the rewritten file has a new diagnostic at line 2: warning: /),
    });
  });
});

describe('applyEdits on YAML', () => {
  it('rewrites an anchored scalar once and keeps its alias', () => {
    const content =
      'apiVersion: v1\nkind: Pod\nspec:\n  initContainers:\n  - {name: a, image: &img "busybox:1.36"}\n  containers:\n  - name: b\n    image: *img\n';

    const { result } = rewriteFile('pod.yaml', content);

    expect(result.ok && result.content).toBe(
      content.replace('busybox:1.36', mirrored('docker.io/library/busybox:1.36')),
    );
  });

  it('inserts Kustomize keys with the file line ending', () => {
    const content = 'images:\r\n  - name: nginx\r\n    newTag: "1.27"\r\n';

    const { result } = rewriteFile('kustomization.yaml', content);

    const digest = copyDigest('docker.io/library/nginx:1.27');
    expect(result.ok && result.content).toBe(
      `images:\r\n  - name: nginx\r\n    newTag: "1.27"\r\n    newName: ${MIRROR}/docker.io/library/nginx\r\n    digest: ${digest}\r\n`,
    );
  });

  it('writes the new reference of a Kustomize entry as the scanner reads it back', () => {
    const content = 'images:\n- name: nginx\n  newTag: "1.27"\n';

    const { result } = rewriteFile('kustomization.yaml', content, { pinDigest: false });

    expect(result.ok && result.content).toBe(
      `images:\n- name: nginx\n  newTag: "1.27"\n  newName: ${MIRROR}/docker.io/library/nginx\n`,
    );
    expect(
      extract('kustomization.yaml', result.ok ? result.content : '').occurrences.map((o) =>
        formatReference(o.reference),
      ),
    ).toEqual([`${MIRROR}/docker.io/library/nginx:1.27`]);
  });

  it('refuses a plain scalar that the new value would change the meaning of', () => {
    const content = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: nginx:1.27\n';
    const edit = editOf('pod.yaml', content, 'nginx:1.27');
    const odd: Edit = {
      ...edit,
      destination: { registry: 'reg.example', repository: 'a', tag: 'x #y', digest: undefined },
    };

    expect(applyEdits('pod.yaml', content, [odd], extract)).toEqual({
      ok: false,
      reason: 'pod.yaml:5: "reg.example/a:x #y" cannot be written as a plain YAML scalar',
    });
  });
});
