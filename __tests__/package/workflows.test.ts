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
  needs?: string | string[];
  environment?: string;
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
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
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

  it('publishes nothing from a pull request: every publishing step sits in a job skipped unless a tag was pushed', () => {
    const publishing = Object.entries(release.jobs).flatMap(([name, job]) =>
      job.steps
        .filter((step) => PUBLISHING.some((pattern) => pattern.test(step.run ?? '')))
        .map((step) => ({ step: `${name}: ${step.name ?? step.run}`, guarded: job.if === ONLY_ON_PUSH })),
    );

    expect(publishing.length).toBe(4);
    expect(publishing.filter((p) => !p.guarded)).toEqual([]);
  });

  it('grants write permissions only to tag-push jobs in the release environment; the jobs a pull request runs can only read', () => {
    const jobs = Object.entries(release.jobs).map(([name, job]) => ({
      name,
      writes: Object.values(job.permissions ?? {}).some((level) => level === 'write'),
      onPush: job.if === ONLY_ON_PUSH,
      environment: job.environment,
    }));
    const writers = jobs.filter((job) => job.writes);

    expect(writers.map((job) => job.name).sort()).toEqual([
      'github-release',
      'image-publish',
      'major-tag',
      'npm',
    ]);
    expect(writers.filter((job) => !job.onPush || job.environment !== 'release')).toEqual([]);
    expect(jobs.filter((job) => !job.onPush).map((job) => job.name)).toEqual([
      'check',
      'image',
      'npm-dry-run',
    ]);
  });

  it('publishes to npm with provenance from a job holding id-token: write, after a dry run on pull requests', () => {
    const npm = release.jobs.npm!;
    const dryRun = release.jobs['npm-dry-run']!;

    expect(npm.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(npm.steps.map((step) => step.run)).toContain(
      'npm publish --provenance --access public ./ar-mirror-*.tgz',
    );
    expect(dryRun.if).toBe("github.event_name == 'pull_request'");
    expect(dryRun.permissions).toBeUndefined();
    expect(dryRun.steps.map((step) => step.run)).toContain(
      'npm publish --dry-run --access public ./ar-mirror-*.tgz',
    );
  });

  it('refuses to publish to npm while an OWNER placeholder is left in the package metadata, Dockerfile or README', () => {
    const refusal = release.jobs.npm!.steps.map((step) => step.run ?? '').join('\n');

    expect(refusal).toMatch(
      /if grep -n 'OWNER\/ar-mirror' package\.json Dockerfile README\.md; then\n[^\n]*::error::[^\n]*\n\s*exit 1/,
    );
  });

  it('pushes the image only after npm publish succeeded, tagged X.Y.Z and X; the git tag stays vX', () => {
    const check = release.jobs.check!.steps.map((step) => step.run ?? '').join('\n');
    const push = release.jobs['image-publish']!;
    const major = release.jobs['major-tag']!.steps.map((step) => step.run ?? '').join('\n');

    expect(push.needs).toContain('npm');
    expect(check).toContain('echo "major=${package_version%%.*}"');
    expect(push.steps.map((step) => step.run ?? '').join('\n')).toContain(
      'for tag in "$VERSION" "$MAJOR"; do',
    );
    expect(major).toContain('git push --force origin "refs/tags/v$MAJOR"');
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

  it('migrate-matrix installs ar-mirror outside the target checkout, pushes without force (a lease only after a merge) and updates the description', () => {
    const steps = read('migrate-matrix.yml').jobs.migrate!.steps;
    const migrate = steps.find((step) => step.name === 'Migrate')!;
    const run = migrate.run ?? '';
    const all = steps.map((step) => step.run ?? '').join('\n');

    expect((migrate as { 'working-directory'?: string })['working-directory']).toBeUndefined();
    expect(run.indexOf('cd "$RUNNER_TEMP"')).toBeGreaterThanOrEqual(0);
    expect(run.indexOf('cd "$RUNNER_TEMP"')).toBeLessThan(run.indexOf('npm install'));
    expect(run.indexOf('npm install')).toBeLessThan(run.indexOf('cd "$GITHUB_WORKSPACE/target"'));
    expect(all).not.toMatch(/\bnpx\b|--force-create|push --force(?!-with-lease)|\+HEAD:/);
    expect(all).toContain('--force-with-lease=refs/heads/$BRANCH:$LEASE');
    expect(all).toContain('gh pr edit "$number" --repo "$REPOSITORY" --body-file "$body"');
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

    expect(releaseNotes(own, pkg.version, true)).toMatch(/^### Added\n/);
  });
});
