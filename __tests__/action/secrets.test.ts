/**
 * Issue 7, rule 2 through the action: a source registry that sends back the credentials it was
 * given (in an error body, or as a platform of a successful copy) must not get them into the
 * annotations, outputs, job summary, failure message, sticky comment or commit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EchoMode, type EchoRegistry, startEchoRegistry } from '../support/echo-registry.js';
import { type ActionHarness, startActionHarness } from './harness.js';

const REPO = 'acme/echo';

let h: ActionHarness;
const opened: EchoRegistry[] = [];
let prCount = 0;

beforeAll(async () => {
  h = await startActionHarness();
  await h.github.createRepo(REPO, { 'README.md': '# echo\n' });
});

afterAll(async () => {
  await Promise.all([h?.close(), ...opened.map((r) => r.close())]);
});

afterEach(() => {
  expect(h.github.violations).toEqual([]);
});

/** Every form of the registry's secrets that must never be shown. */
function secretForms(registry: EchoRegistry): string[] {
  const login = `${registry.username}:${registry.password}`;
  const basic = Buffer.from(login).toString('base64');
  return [registry.password, login, basic, basic.replace(/=+$/, ''), ...registry.tokens];
}

/** Runs the action on a new pull request naming an image of a new echoing registry. */
async function runAgainst(mode: EchoMode, auth: 'basic' | 'bearer') {
  const registry = await startEchoRegistry({ mode, auth });
  opened.push(registry);
  prCount++;
  const pr = await h.github.createPullRequest({
    repo: REPO,
    head: `echo-${prCount}`,
    files: { Dockerfile: `FROM ${registry.host}/lib/app:1\n` },
  });
  const run = await h.run(REPO, pr.number, {
    inputs: { 'registry-credentials': `${registry.host}=${registry.username}:${registry.password}` },
    plainHttp: [registry.host],
  });
  const comments = h.github.comments(REPO, pr.number).map((c) => c.body);
  const commits = (await h.github.commits(REPO, `echo-${prCount}`, pr.baseSha)).map((c) => c.message);
  // The comment's hidden record is base64: a secret there is as public as the comment.
  const states = comments.map((body) => {
    const block = /<!-- ar-mirror-state ([A-Za-z0-9+/=]*) -->/.exec(body)?.[1] ?? '';
    return Buffer.from(block, 'base64').toString('utf8');
  });
  expect(states.every((state) => state.includes('"rows"'))).toBe(true);
  return {
    registry,
    run,
    shown: JSON.stringify({ result: run.result, comments, states, commits }),
    comments,
  };
}

describe('secrets a registry sends back never reach what the action shows', () => {
  it.each(['basic', 'bearer'] as const)('%s credentials echoed in an error body', async (auth) => {
    const { registry, run, shown, comments } = await runAgainst('echo-body', auth);

    expect(run.result.failure).toMatch(/403 DENIED \(rejected (Basic|Bearer) \*\*\*/);
    expect(comments).toHaveLength(1);
    expect(registry.tokens.length > 0).toBe(auth === 'bearer');
    for (const secret of secretForms(registry)) expect(shown).not.toContain(secret);
  });

  it.each(['basic', 'bearer'] as const)(
    '%s credentials echoed as the platform of a copied image',
    async (auth) => {
      const { registry, run, shown, comments } = await runAgainst('echo-platform', auth);

      expect(run.result.mirrored).toEqual([expect.objectContaining({ platforms: ['linux/amd64/***'] })]);
      // Masked before markdown escaping, so the mask itself is escaped and renders as `***`.
      expect(comments.join('')).toContain('linux/amd64/\\*\\*\\*');
      expect(run.result.summary).toContain('linux/amd64/\\*\\*\\*');
      for (const secret of secretForms(registry)) expect(shown).not.toContain(secret);
    },
  );
});
