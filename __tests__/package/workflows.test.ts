/**
 * The release and scale-out workflows, read as data: nothing publishes from a pull request
 * (the dry run), the npm publish uses provenance, and the reusable workflows are callable.
 * They run on GitHub's runners only; these checks are what can be asserted here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { changelogSection, releaseNotes } from '../../scripts/release-notes.js';

interface Step {
  name?: string;
  if?: string;
  run?: string;
  uses?: string;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
  strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const dir = new URL('../../.github/workflows/', import.meta.url);
const read = (name: string) => parse(readFileSync(new URL(name, dir), 'utf8')) as Workflow;
const PUBLISHING = [
  /\bnpm publish\b(?![^\n]*--dry-run)/,
  /\bgh release create\b/,
  /\bgit\b[^\n]*\bpush\b/,
  /\bdocker push\b/,
];
const ONLY_ON_PUSH = "github.event_name == 'push'";

describe('release.yml', () => {
  const release = read('release.yml');

  it('runs on version tags, and on pull requests as a dry run, with read-only defaults', () => {
    expect(release.on).toEqual({ push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] }, pull_request: null });
    expect(release.permissions).toEqual({ contents: 'read' });
  });

  it('publishes nothing from a pull request: every publishing step is guarded by the push event', () => {
    const publishing = Object.entries(release.jobs).flatMap(([name, job]) =>
      job.steps
        .filter((step) => PUBLISHING.some((pattern) => pattern.test(step.run ?? '')))
        .map((step) => ({
          step: `${name}: ${step.name ?? step.run}`,
          guarded: `${job.if ?? ''} ${step.if ?? ''}`.includes(ONLY_ON_PUSH),
        })),
    );

    expect(publishing.length).toBe(4);
    expect(publishing.filter((p) => !p.guarded)).toEqual([]);
  });

  it('publishes to npm with provenance from a job holding id-token: write, after a dry run on pull requests', () => {
    const npm = release.jobs.npm!;
    const runs = npm.steps.map((step) => [step.if, step.run]);

    expect(npm.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(runs).toContainEqual([`${ONLY_ON_PUSH}`, 'npm publish --provenance --access public']);
    expect(runs).toContainEqual([
      "github.event_name == 'pull_request'",
      'npm publish --dry-run --access public',
    ]);
  });

  it('tests, checks dist/, takes the notes from CHANGELOG.md and moves the major tag last', () => {
    const check = release.jobs.check!.steps.map((step) => step.run ?? '').join('\n');

    expect(check).toContain('npm test');
    // Untracked files count: a new chunk name means dist/ is stale.
    expect(check).toContain('git status --porcelain -- dist schema');
    expect(check).toContain('scripts/release-notes.ts');
    expect(release.jobs['major-tag']).toMatchObject({ if: ONLY_ON_PUSH, needs: ['check', 'github-release'] });
  });
});

describe('reusable workflows', () => {
  it.each(['copy-matrix.yml', 'migrate-matrix.yml'])('%s is callable and fans out over a matrix', (name) => {
    const workflow = read(name);

    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
    expect(Object.values(workflow.jobs).some((job) => job.strategy?.matrix)).toBe(true);
  });

  it('copy-matrix runs one shard per job', () => {
    const copy = read('copy-matrix.yml').jobs.copy!;

    expect(copy.steps.map((step) => step.run ?? '').join('\n')).toContain('--shard "$SHARD"');
  });

  it('every workflow parses and checks out without persisting credentials where it never pushes', () => {
    for (const name of readdirSync(dir)) {
      const workflow = read(name);
      for (const [jobName, job] of Object.entries(workflow.jobs)) {
        const pushes = job.steps.some((step) => /\bgit\b[^\n]*\bpush\b/.test(step.run ?? ''));
        const checkouts = job.steps.filter((step) => step.uses?.startsWith('actions/checkout@'));
        for (const checkout of checkouts) {
          const persist = (checkout as { with?: { 'persist-credentials'?: boolean } }).with?.[
            'persist-credentials'
          ];
          expect([`${name} ${jobName}`, persist === false || pushes]).toEqual([`${name} ${jobName}`, true]);
        }
      }
    }
  });
});

describe('scripts/release-notes.ts', () => {
  const changelog = `# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.2.0] - 2026-12-01\n\n### Added\n\n- thing\n\n## [1.1.0] - 2026-11-01\n\n- old\n\n[1.2.0]: https://example.test/compare\n`;

  it('takes the section of the version, up to the next one', () => {
    expect(releaseNotes(changelog, '1.2.0')).toBe('### Added\n\n- thing');
    expect(changelogSection(changelog, '1.1.0')).toBe('- old');
  });

  it('refuses a version without a section, unless a dry run allows [Unreleased]', () => {
    expect(() => releaseNotes(changelog, '1.3.0')).toThrow('CHANGELOG.md has no "## [1.3.0]" section');
    expect(releaseNotes(changelog, '1.3.0', true)).toBe('- next');
    expect(() => releaseNotes(changelog, '1.2')).toThrow('"1.2" is not a version');
  });

  it('finds the notes of the next release in this repository`s CHANGELOG.md (a dry run)', () => {
    const own = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');

    expect(releaseNotes(own, '0.1.0', true)).toMatch(/^### Added\n/);
  });
});
