/**
 * Issue 7, rules 2 and 3, exactly as the runner sees them: `node dist/index.js` with the runner's
 * environment, a pull request whose file name and image text carry workflow commands, a source
 * registry whose foreign layer has a digest built to inject them, and one that echoes the
 * credentials it was given. The raw stdout (what the runner parses) must hold no command line but
 * the action's own, and no form of the credentials.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoRegistry, startEchoRegistry } from '../support/echo-registry.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server/index.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

const ACTION = path.resolve('dist/index.js');
const DEST = 'us-docker.pkg.dev/acme-prod/mirror';
const REPO = 'acme/hostile';
const IDENTITY = 'ar-mirror@acme-prod.iam.gserviceaccount.com';
const INJECTED = '\n::error title=x::y\n::stop-commands::tok\n##[warning]z';

let github: GitHubServer;
let destination: TestRegistry;
let google: FakeGoogle;
let foreign: EchoRegistry;
let echo: EchoRegistry;
let work: string;

beforeAll(async () => {
  [github, destination, google, foreign, echo] = await Promise.all([
    startGitHubServer(),
    startRegistry({ mode: 'none' }),
    startFakeGoogle(),
    startEchoRegistry({ mode: 'foreign-layer', auth: 'none', digest: `sha256:${'a'.repeat(64)}${INJECTED}` }),
    startEchoRegistry({ mode: 'echo-body', auth: 'basic' }),
  ]);
  work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-e2e-output-'));
  google.repositories.set('projects/acme-prod/locations/us/repositories/mirror', {
    name: 'projects/acme-prod/locations/us/repositories/mirror',
    format: 'DOCKER',
    mode: 'STANDARD_REPOSITORY',
  });
  google.grant(IDENTITY, [
    'artifactregistry.repositories.get',
    'artifactregistry.repositories.uploadArtifacts',
  ]);
  await github.createRepo(REPO, { 'README.md': '# hostile\n' });
});

afterAll(async () => {
  await Promise.all([github?.close(), destination?.stop(), google?.stop(), foreign?.close(), echo?.close()]);
  rmSync(work, { recursive: true, force: true });
});

function pod(image: string): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: ${image}\n`;
}

/** Runs dist/index.js for pull request `number` as the runner would; returns the raw stdout. */
function runAction(
  number: number,
  inputs: Record<string, string>,
): Promise<{ stdout: string; summary: string }> {
  const dir = mkdtempSync(path.join(work, 'run-'));
  const event = path.join(dir, 'event.json');
  const summary = path.join(dir, 'summary');
  const pull_request = { number, head: { repo: { full_name: REPO } } };
  writeFileSync(event, JSON.stringify({ number, pull_request, repository: { full_name: REPO } }));
  writeFileSync(summary, '');
  writeFileSync(path.join(dir, 'output'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: REPO,
    GITHUB_API_URL: github.url,
    GITHUB_GRAPHQL_URL: github.graphqlUrl,
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STEP_SUMMARY: summary,
    AR_MIRROR_PLAIN_HTTP: `${foreign.host},${echo.host},${destination.host}`,
    AR_MIRROR_REGISTRY_ENDPOINTS: `us-docker.pkg.dev=${destination.url}`,
    AR_MIRROR_ARTIFACT_REGISTRY_API: google.apiBase,
  };
  const all = {
    destination: DEST,
    'github-token': github.token,
    'gcp-access-token': google.mintToken(IDENTITY),
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) env[`INPUT_${name.toUpperCase()}`] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [ACTION], { env, timeout: 120_000 }, (_error, stdout) => {
      resolve({ stdout, summary: readFileSync(summary, 'utf8') });
    });
  });
}

/** The lines the runner would read as commands: `::` after leading whitespace, or `##[` anywhere. */
function commandLines(stdout: string): string[] {
  return stdout
    .split(/\r\n|\r|\n/)
    .filter((line) => line.trimStart().startsWith('::') || line.includes('##['));
}

/** The commands the action issues itself, each with data or properties the runner escaped. */
const OURS = /^::(add-mask|debug|warning|error|notice|group|endgroup)( [a-zA-Z]+=[^:]*)?::/;

describe('what the action writes for the runner', () => {
  it('holds no workflow command from a file name, image text or registry answer', async () => {
    const pr = await github.createPullRequest({
      repo: REPO,
      head: 'inject',
      files: {
        'deploy/app.yaml': pod(`${foreign.host}/lib/app:1`),
        'deploy/::stop-commands::tok.yaml': pod(`"::stop-commands::tok\\n::error title=x::y"`),
      },
    });

    const { stdout } = await runAction(pr.number, { mode: 'copy' });

    // The hostile text did reach the log, escaped into the line it belongs to: the foreign layer's
    // digest is refused by the digest grammar (issue 7 rule 1) and quoted JSON-escaped in the refusal.
    expect(stdout).toContain('a sha256 digest must be 64 lowercase hex characters, got "sha256:aaaa');
    expect(stdout).toContain('\\n::error …"');
    for (const line of commandLines(stdout)) {
      expect(line.trimStart()).toMatch(OURS);
      expect(line).not.toMatch(/^\s*::(error title=x|stop-commands)::/);
      expect(line).not.toContain('##[');
    }
  });

  it('holds no form of credentials a registry echoes', async () => {
    const pr = await github.createPullRequest({
      repo: REPO,
      head: 'echo',
      files: { Dockerfile: `FROM ${echo.host}/lib/app:1\n` },
    });

    const run = await runAction(pr.number, {
      'registry-credentials': `${echo.host}=${echo.username}:${echo.password}`,
    });

    expect(run.stdout).toMatch(/403 DENIED \(rejected Basic \*\*\*/);
    // `::add-mask::` lines hand the secrets to the runner, which never shows them.
    const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    const login = `${echo.username}:${echo.password}`;
    const basic = Buffer.from(login).toString('base64');
    const comments = github.comments(REPO, pr.number).map((c) => c.body);
    for (const secret of [echo.password, login, basic, basic.replace(/=+$/, '')]) {
      expect([...shown, run.summary, ...comments].join('\n')).not.toContain(secret);
    }
  });
});
