import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { planCopies } from '../../src/plan/index.js';
import { applyEdits } from '../../src/rewrite/index.js';
import { extract, MIRROR, rewriteFile } from './pipeline.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rewrite/', import.meta.url));

/** Fixture → the path it is scanned as (the finder is chosen by path), and what is copied but not rewritten. */
const CASES: { fixture: string; path: string; changed: number; skipped: string[] }[] = [
  {
    fixture: 'multi-stage.Dockerfile',
    path: 'multi-stage.Dockerfile',
    changed: 6,
    skipped: [],
  },
  { fixture: 'crlf.Dockerfile', path: 'crlf.Dockerfile', changed: 2, skipped: [] },
  { fixture: 'deployment.yaml', path: 'k8s/deployment.yaml', changed: 4, skipped: [] },
  { fixture: 'kustomization.yaml', path: 'overlays/prod/kustomization.yaml', changed: 3, skipped: [] },
  { fixture: 'values.yaml', path: 'charts/app/values.yaml', changed: 4, skipped: [] },
  { fixture: 'ci.workflow.yml', path: '.github/workflows/ci.yml', changed: 3, skipped: [] },
  {
    fixture: 'compose.yaml',
    path: 'compose.yaml',
    changed: 2,
    skipped: [],
  },
  {
    fixture: 'variables.Dockerfile',
    path: 'variables.Dockerfile',
    changed: 5,
    skipped: ['${REGISTRY}/library/python:3.12-slim', '${BASE_IMAGE:-nginx}:${NGINX_TAG:-1.27}'],
  },
  {
    fixture: 'variables.compose.yaml',
    path: 'docker-compose.variables.yaml',
    changed: 5,
    skipped: ['${REGISTRY:-docker.io}/library/python:3.12'],
  },
];

function read(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

describe.each(CASES)('golden pair $fixture', ({ fixture, path, changed, skipped }) => {
  const input = read(fixture);
  const golden = read(fixture.replace(/(\.[^.]+)$/, '.rewritten$1'));

  it('rewrites to exactly the golden file', () => {
    const { plan, result } = rewriteFile(path, input);
    const copies = planCopies(extract(path, input).occurrences, { destination: MIRROR });

    expect(result).toEqual({ ok: true, content: golden, changed: expect.any(Array) });
    expect(result.ok && result.changed.length).toBe(changed);
    expect(plan.skipped).toEqual([]);
    expect(copies.notRewritable.map((s) => [s.occurrence.raw, s.reason])).toEqual(
      skipped.map((raw) => [raw, 'not-rewritable']),
    );
  });

  it('finds nothing left to mirror in the golden file (a second run is a no-op)', () => {
    const copies = planCopies(extract(path, golden).occurrences, { destination: MIRROR });

    expect(copies.jobs.flatMap((job) => job.occurrences.map((o) => o.raw))).toEqual(skipped);
    expect(applyEdits(path, golden, [], extract)).toEqual({ ok: true, content: golden, changed: [] });
  });
});
