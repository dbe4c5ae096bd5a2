/**
 * The action end to end, exactly as the runner starts it: `node dist/index.js` with the runner's
 * environment (event payload, INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), against the simulated
 * GitHub (a real git repository), a real "third-party" registry, a real destination registry
 * reached as `us-docker.pkg.dev` through an endpoint override, and the fake Artifact Registry API.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type GitHubServer, startGitHubServer } from '../support/github-server/index.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const ACTION = path.resolve('dist/index.js');
/** action.yml's input defaults, as the runner would pass them (expressions are set per run below). */
const ACTION_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.entries(
    (parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs,
  )
    .filter(([, input]) => input.default !== undefined && !input.default.includes('${{'))
    .map(([name, input]) => [name, input.default!]),
);
const DEST = 'us-docker.pkg.dev/acme-prod/mirror';
const REPO = 'acme/shop';
const IDENTITY = 'ar-mirror@acme-prod.iam.gserviceaccount.com';

let github: GitHubServer;
let source: TestRegistry;
let destination: TestRegistry;
let google: FakeGoogle;
let work: string;
const images: Record<string, PushedImage> = {};
let prCount = 0;

beforeAll(async () => {
  [github, source, destination, google] = await Promise.all([
    startGitHubServer(),
    startRegistry({ mode: 'none' }),
    startRegistry({ mode: 'none' }),
    startFakeGoogle(),
  ]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-e2e-'));
  google.repositories.set('projects/acme-prod/locations/us/repositories/mirror', {
    name: 'projects/acme-prod/locations/us/repositories/mirror',
    format: 'DOCKER',
    mode: 'STANDARD_REPOSITORY',
  });
  google.grant(IDENTITY, [
    'artifactregistry.repositories.get',
    'artifactregistry.repositories.uploadArtifacts',
  ]);
  images.app = await pushRandomImage(source, 'lib/app:1', {
    platforms: ['linux/amd64', 'linux/arm64'],
    format: 'oci',
  });
  images.sidecar = await pushRandomImage(source, 'lib/sidecar:2', { format: 'docker' });
  images.db = await pushRandomImage(source, 'lib/db:3', {
    platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    format: 'docker',
  });
  await github.createRepo(REPO, {
    'README.md': '# shop\n',
    'deploy/existing.yaml': pod(`${source.host}/lib/sidecar:2`),
  });
});

afterAll(async () => {
  await Promise.all([github?.close(), source?.stop(), destination?.stop(), google?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

afterEach(() => {
  expect(github.violations).toEqual([]);
});

function pod(image: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs dist/index.js as the runner would for pull request `number`. */
async function runAction(
  number: number,
  options: {
    fork?: boolean;
    inputs?: Record<string, string>;
    env?: Record<string, string>;
    repo?: string;
    /** A schedule or workflow_dispatch event runs the refresh. Default: pull_request. */
    eventName?: string;
  } = {},
): Promise<Run> {
  const repo = options.repo ?? REPO;
  const dir = mkdtempSync(path.join(work, 'run-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary'),
  };
  const eventName = options.eventName ?? 'pull_request';
  writeFileSync(
    files.event,
    JSON.stringify(
      eventName === 'schedule'
        ? { schedule: '0 6 * * 1', repository: { full_name: repo } }
        : {
            action: 'opened',
            number,
            pull_request: { number, head: { repo: { full_name: options.fork ? 'mallory/shop' : repo } } },
            repository: { full_name: repo },
          },
    ),
  );
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  // The runner passes every input's action.yml default as if the workflow had set it.
  const inputs: Record<string, string> = {
    ...ACTION_DEFAULTS,
    destination: DEST,
    'github-token': github.token,
    'gcp-access-token': google.mintToken(IDENTITY),
    ...options.inputs,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: repo,
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: github.graphqlUrl,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    AR_MIRROR_PLAIN_HTTP: `${source.host},${destination.host}`,
    AR_MIRROR_REGISTRY_ENDPOINTS: `us-docker.pkg.dev=${destination.url}`,
    AR_MIRROR_ARTIFACT_REGISTRY_API: google.apiBase,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve) => {
      execFile(process.execPath, [ACTION], { env, timeout: 120_000 }, (error, out, err) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          stdout: out,
          stderr: err,
        });
      });
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

/** Reads the runner's GITHUB_OUTPUT file format (`name<<DELIMITER` blocks). */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

async function newPullRequest(
  files: Record<string, string>,
  extra: { headRepo?: string; repo?: string } = {},
) {
  prCount++;
  return github.createPullRequest({ repo: REPO, head: `feature-${prCount}`, files, ...extra });
}

function mirrored(image: string): string {
  return `${DEST}/${source.host.replace(':', '-')}/${image}`;
}

async function destinationDigest(repository: string, tag: string): Promise<string | undefined> {
  const res = await destination.fetch(`/v2/acme-prod/mirror/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept:
        'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.status === 200 ? res.headers['docker-content-digest'] : undefined;
}

describe('the action on a pull request', () => {
  it('mirrors new third-party images, commits one verified rewrite, and reports it; a re-run is a no-op', async () => {
    const files = {
      Dockerfile: `# build\nFROM ${source.host}/lib/app:1 AS base\nRUN echo hi\n`,
      'deploy/web.yaml': pod(`"${source.host}/lib/app:1"`),
      'deploy/existing.yaml': `# touched\n${pod(`${source.host}/lib/sidecar:2`)}`,
      'compose.yaml': `services:\n  db:\n    image: ${source.host}/lib/db:3 # pinned below\n  web:\n    build: .\n    image: acme/web\n`,
    };
    const pr = await newPullRequest(files);

    const run = await runAction(pr.number);

    expect(run.code, run.stdout).toBe(0);
    // Copied byte for byte: same digests at the destination, under {registry}/{repository}.
    const hostPath = source.host.replace(':', '-');
    expect(await destinationDigest(`${hostPath}/lib/app`, '1')).toBe(images.app!.digest);
    expect(await destinationDigest(`${hostPath}/lib/db`, '3')).toBe(images.db!.digest);
    // The sidecar was already referenced by that file at the base: not new, not copied.
    expect(await destinationDigest(`${hostPath}/lib/sidecar`, '2')).toBeUndefined();

    // Exactly one new commit, touching only the reference text.
    const commits = await github.commits(REPO, `feature-${prCount}`, pr.headSha);
    expect(commits).toHaveLength(1);
    const after = await github.branchFiles(REPO, `feature-${prCount}`);
    const app = `${mirrored('lib/app')}:1@${images.app!.digest}`;
    const db = `${mirrored('lib/db')}:3@${images.db!.digest}`;
    expect(after.Dockerfile).toBe(files.Dockerfile.replace(`${source.host}/lib/app:1`, app));
    expect(after['deploy/web.yaml']).toBe(files['deploy/web.yaml'].replace(`${source.host}/lib/app:1`, app));
    expect(after['compose.yaml']).toBe(files['compose.yaml'].replace(`${source.host}/lib/db:3`, db));
    expect(after['deploy/existing.yaml']).toBe(files['deploy/existing.yaml']);
    expect(run.outputs['commit-sha']).toBe(commits[0]!.oid);

    // Outputs, annotations, comment and summary.
    const references = JSON.parse(run.outputs.references!);
    expect(
      references.map((r: { file: string; line: number; image: string }) => `${r.file}:${r.line} ${r.image}`),
    ).toEqual([
      `Dockerfile:2 ${source.host}/lib/app:1`,
      `compose.yaml:3 ${source.host}/lib/db:3`,
      `deploy/web.yaml:8 ${source.host}/lib/app:1`,
    ]);
    expect(
      JSON.parse(run.outputs.mirrored!).map((m: { status: string; digest: string }) => [m.status, m.digest]),
    ).toEqual([
      ['rewritten', images.app!.digest],
      ['rewritten', images.db!.digest],
    ]);
    expect(run.stdout).toContain(
      `::notice title=Mirrored,file=Dockerfile,line=2,endLine=2,col=6,endColumn=${6 + `${source.host}/lib/app:1`.length}::ar-mirror copied ${source.host}/lib/app:1 to ${mirrored('lib/app')}:1@${images.app!.digest} and committed the rewrite of this line in ${commits[0]!.oid.slice(0, 7)}.`,
    );
    const comments = github.comments(REPO, pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- ar-mirror -->');
    expect(comments[0]!.body).toContain(commits[0]!.oid.slice(0, 7));
    expect(comments[0]!.body).toContain('copied, committed');
    expect(run.summary).toContain(`\`${source.host}/lib/db:3\``);

    // A second run on the rewritten branch finds nothing new, copies nothing, commits nothing.
    const again = await runAction(pr.number);
    expect(again.code).toBe(0);
    expect(await github.commits(REPO, `feature-${prCount}`, pr.headSha)).toHaveLength(1);
    expect(again.outputs['commit-sha']).toBe('');
    expect(JSON.parse(again.outputs.references!)).toEqual([]);
    expect(github.comments(REPO, pr.number)).toHaveLength(1);
  });

  it('only reports on a fork pull request, and says why', async () => {
    const pr = await newPullRequest(
      { Dockerfile: `FROM ${source.host}/lib/sidecar:2\n` },
      { headRepo: 'mallory/shop' },
    );

    const before = github.requests.length;

    const run = await runAction(pr.number, { fork: true });

    expect(run.code, run.stdout).toBe(0);
    // Nothing written to GitHub, only reads: a fork's token is read-only anyway.
    expect(
      github.requests.slice(before).filter((r) => r.method !== 'GET' && r.operation !== 'graphql'),
    ).toEqual([]);
    expect(github.requests.slice(before).filter((r) => r.operation === 'graphql')).toEqual([]);
    expect(await destinationDigest(`${source.host.replace(':', '-')}/lib/sidecar`, '2')).toBeUndefined();
    expect(run.stdout).toContain(
      `::warning title=Third-party image,file=Dockerfile,line=1,endLine=1,col=6,endColumn=${6 + `${source.host}/lib/sidecar:2`.length}::`,
    );
    expect(run.summary).toContain('this pull request comes from a fork');
    expect(github.comments(REPO, pr.number)).toEqual([]);
  });

  it('keeps to GitHub’s 10 warnings per step, counting the warning that says why it only reports', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `FROM ${source.host}/lib/many-${i}:1`);
    const pr = await newPullRequest({ Dockerfile: `${lines.join('\n')}\n` }, { headRepo: 'mallory/shop' });

    const run = await runAction(pr.number, { fork: true });

    expect(run.code, run.stdout).toBe(0);
    const commands = run.stdout.split('\n').filter((line) => /^::(warning|notice|error)/.test(line));
    expect(commands.filter((line) => line.startsWith('::warning'))).toHaveLength(10);
    expect(commands[0]).toMatch(/^::warning::this pull request comes from a fork/);
    // What GitHub would drop is counted in the one notice instead.
    expect(commands.filter((line) => line.startsWith('::notice'))).toEqual([
      '::notice title=More findings::3 warnings not shown as annotations (GitHub shows 10 per type); see the job summary.',
    ]);
    // ... where they are.
    const listed = run.summary.split('**Findings not shown as annotations**')[1] ?? '';
    expect(listed.match(/^- warning: `Dockerfile:\d+` Third-party image: /gm)).toHaveLength(3);
    expect(listed).toContain('`Dockerfile:12`');
  });

  it('keeps the job summary of a pull request naming thousands of images under the runner’s 1 MiB', async () => {
    const long = 'x'.repeat(120);
    const lines = Array.from({ length: 3500 }, (_, i) => `FROM ${source.host}/lib/${long}-${i}:1`);
    const pr = await newPullRequest({ Dockerfile: `${lines.join('\n')}\n` }, { headRepo: 'mallory/shop' });

    const run = await runAction(pr.number, { fork: true });

    expect(run.code, run.stderr).toBe(0);
    expect(Buffer.byteLength(run.summary, 'utf8')).toBeLessThanOrEqual(1024 * 1024);
    expect(run.summary).toContain(`\`${source.host}/lib/${long}-0:1\``);
    expect(run.summary.trimEnd()).toMatch(/cut to fit GitHub’s 1 MiB limit for a step summary\._$/);
  });

  it('retries once on the new head when the branch moves during the run', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${source.host}/lib/sidecar:2\n` });
    let pushed = '';
    github.onRequest({
      operation: 'graphql',
      run: async () => {
        pushed = await github.pushCommit(REPO, `feature-${prCount}`, {
          files: { 'NOTES.md': 'pushed meanwhile\n' },
        });
      },
    });

    const run = await runAction(pr.number);

    expect(run.code, run.stdout).toBe(0);
    const commits = await github.commits(REPO, `feature-${prCount}`, pr.headSha);
    expect(commits.map((c) => c.oid)).toEqual([run.outputs['commit-sha'], pushed]);
    const after = await github.branchFiles(REPO, `feature-${prCount}`);
    expect(after['NOTES.md']).toBe('pushed meanwhile\n');
    expect(after.Dockerfile).toBe(`FROM ${mirrored('lib/sidecar')}:2@${images.sidecar!.digest}\n`);
  });

  it('reports an unparseable manifest and still rewrites the other files', async () => {
    const pr = await newPullRequest({
      'deploy/broken.yaml': 'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{image: nginx\n',
      Dockerfile: `FROM ${source.host}/lib/app:1\n`,
    });

    const run = await runAction(pr.number);

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error title=ar-mirror could not read an image reference,file=deploy\/broken.yaml,line=5,endLine=5::could not parse YAML/,
    );
    const after = await github.branchFiles(REPO, `feature-${prCount}`);
    expect(after.Dockerfile).toBe(`FROM ${mirrored('lib/app')}:1@${images.app!.digest}\n`);
    expect(after['deploy/broken.yaml']).toBe(
      'apiVersion: v1\nkind: Pod\nspec:\n  containers: [{image: nginx\n',
    );
  });
});

describe('the scheduled refresh', () => {
  it('opens one refresh pull request after an upstream tag moves; the next run changes nothing', async () => {
    const repo = 'acme/scheduled';
    const hostPath = source.host.replace(':', '-');
    const built = await buildRandomImage({ created: '2024-01-02T03:04:05Z' });
    await pushBuiltImage(destination, `acme-prod/mirror/${hostPath}/lib/cron:1`, built);
    const old = await pushBuiltImage(source, 'lib/cron:1', built);
    await github.createRepo(repo, { Dockerfile: `FROM ${mirrored('lib/cron')}:1@${old.digest}\n` });
    const moved = await pushRandomImage(source, 'lib/cron:1', { created: '2024-02-03T04:05:06Z' });

    const run = await runAction(0, { repo, eventName: 'schedule' });
    const again = await runAction(0, { repo, eventName: 'schedule' });

    expect(run.code, run.stdout).toBe(0);
    expect(await destinationDigest(`${hostPath}/lib/cron`, '1')).toBe(moved.digest);
    const main = await github.branchHead(repo, 'main');
    const commits = await github.commits(repo, 'ar-mirror/refresh', main);
    expect(commits.map((c) => c.oid)).toEqual([run.outputs['commit-sha']]);
    expect((await github.branchFiles(repo, 'ar-mirror/refresh')).Dockerfile).toBe(
      `FROM ${mirrored('lib/cron')}:1@${moved.digest}\n`,
    );
    expect(github.pulls(repo).map((p) => [p.headRef, p.state])).toEqual([['ar-mirror/refresh', 'open']]);
    expect(JSON.parse(run.outputs.mirrored!)).toEqual([
      expect.objectContaining({ digest: moved.digest, status: 'refreshed' }),
    ]);
    expect(run.summary).toContain('(2024-02-03)');
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs['commit-sha']).toBe('');
    expect(await github.commits(repo, 'ar-mirror/refresh', main)).toHaveLength(1);
    expect(github.pulls(repo)).toHaveLength(1);
  });
});

describe('the config file', () => {
  it('applies where the workflow sets no input, although the runner passes action.yml defaults', async () => {
    const repo = 'acme/configured';
    await github.createRepo(repo, { '.github/ar-mirror.yml': 'mode: report\nfail-on: unmirrored\n' });
    const pr = await newPullRequest({ Dockerfile: `FROM ${source.host}/lib/app:1\n` }, { repo });

    const run = await runAction(pr.number, { repo });

    expect(run.code).toBe(1);
    expect(run.summary).toContain('Mode: report.');
    expect(run.stdout).toContain(
      `::error::1 new third-party image(s) are not mirrored: ${source.host}/lib/app:1`,
    );
    expect(await github.commits(repo, `feature-${prCount}`, pr.headSha)).toEqual([]);
  });
});

describe('secrets', () => {
  let privateSource: TestRegistry;
  beforeAll(async () => {
    privateSource = await startRegistry({ mode: 'token' });
  });
  afterAll(async () => {
    await privateSource?.stop();
  });

  /** Every place a secret could surface in cleartext, except the runner's own add-mask command. */
  function leaks(run: Run, secrets: string[]): string[] {
    const found: string[] = [];
    for (const secret of secrets) {
      const places = {
        stdout: run.stdout
          .split('\n')
          .filter((line) => line !== `::add-mask::${secret}`)
          .join('\n'),
        stderr: run.stderr,
        summary: run.summary,
        outputs: JSON.stringify(run.outputs),
      };
      for (const [place, text] of Object.entries(places)) if (text.includes(secret)) found.push(place);
    }
    return found;
  }

  it('never prints the GitHub token, the Google token or registry passwords, even with debug on', async () => {
    const image = await pushRandomImage(privateSource, 'team/private:1');
    const pr = await newPullRequest({
      Dockerfile: `FROM ${privateSource.host}/team/private:1\nFROM ${source.host}/lib/missing:404\n`,
    });
    const googleToken = google.mintToken(IDENTITY);
    const password = privateSource.password!;
    const env = {
      RUNNER_DEBUG: '1',
      AR_MIRROR_PLAIN_HTTP: `${source.host},${destination.host},${privateSource.host}`,
    };
    const inputs = {
      'gcp-access-token': googleToken,
      'registry-credentials': `${privateSource.host}=${privateSource.username}:${password}`,
    };

    const run = await runAction(pr.number, { inputs, env });

    // The private image was copied (so the credentials were used); the missing one failed.
    expect(run.code, run.stdout).toBe(1);
    const hostPath = privateSource.host.replace(':', '-');
    expect(await destinationDigest(`${hostPath}/team/private`, '1')).toBe(image.digest);
    expect(run.stdout).toContain(`::add-mask::${password}`);
    expect(run.stdout).toContain(`::add-mask::${googleToken}`);
    expect(run.stdout).toContain(`::add-mask::${github.token}`);
    expect(leaks(run, [github.token, googleToken, password])).toEqual([]);
  });

  it('does not print the Google token when Artifact Registry refuses it', async () => {
    const pr = await newPullRequest({ Dockerfile: `FROM ${source.host}/lib/app:1\n` });
    const googleToken = google.mintToken('nobody@acme-prod.iam.gserviceaccount.com');

    const run = await runAction(pr.number, {
      inputs: { 'gcp-access-token': googleToken },
      env: { RUNNER_DEBUG: '1' },
    });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::');
    expect(leaks(run, [github.token, googleToken])).toEqual([]);
  });
});
