import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloudBuildFinder, extractCloudBuild } from '../../src/scan/cloudbuild/index.js';
import { ref, scalarOccurrence } from './yaml-expect.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/cloudbuild/${name}`, import.meta.url), 'utf8');

describe('extractCloudBuild', () => {
  it('reads step builders from the fixture, reports the substituted one and ignores images:', () => {
    const content = fixture('cloudbuild.yaml');
    const at = (snippet: string, line: number, column: number, endColumn: number) => ({
      file: 'cloudbuild.yaml',
      kind: 'cloudbuild' as const,
      snippet,
      start: { line, column },
      end: { line, column: endColumn },
    });

    const result = cloudBuildFinder.extract(content, 'cloudbuild.yaml', { hasSibling: () => false });

    expect(result).toEqual({
      occurrences: [
        scalarOccurrence(content, {
          ...at('node:20', 3, 11, 18),
          reference: ref('docker.io', 'library/node', '20'),
        }),
        scalarOccurrence(content, {
          ...at('gcr.io/cloud-builders/docker', 7, 11, 39),
          reference: ref('gcr.io', 'cloud-builders/docker', 'latest'),
        }),
        scalarOccurrence(content, {
          ...at("'gcr.io/google.com/cloudsdktool/cloud-sdk:slim'", 13, 11, 58),
          style: 'single',
          value: 'gcr.io/google.com/cloudsdktool/cloud-sdk:slim',
          reference: ref('gcr.io', 'google.com/cloudsdktool/cloud-sdk', 'slim'),
        }),
      ],
      diagnostics: [
        {
          file: 'cloudbuild.yaml',
          line: 10,
          severity: 'warning',
          message: `image "\${_SCANNER_IMAGE}" uses substitution $_SCANNER_IMAGE, set only when the build runs`,
        },
      ],
    });
  });

  it('reports built-in substitutions and reads $$ as an escaped $', () => {
    const content = 'steps:\n- name: gcr.io/$PROJECT_ID/builder\n- name: a$$b\n';

    const result = extractCloudBuild(content, 'cloudbuild.yaml');

    expect(result.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, 'image "gcr.io/$PROJECT_ID/builder" uses substitution $PROJECT_ID, set only when the build runs'],
      [3, 'image "a$$b" contains a variable ($…), resolved only at deploy time'],
    ]);
  });

  it.each([
    ['cloudbuild.yaml', true],
    ['ci/cloudbuild-release.yml', true],
    ['cloudbuild.json', false],
  ])('matches %s → %s', (path, expected) => {
    expect(cloudBuildFinder.matches(path)).toBe(expected);
  });
});
