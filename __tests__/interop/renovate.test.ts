/**
 * Real Renovate (a pinned version, installed outside the project by .ci/run) against the local
 * registries: with the README's registryAliases config it looks a mirror reference up at its
 * upstream and proposes tag and digest while keeping the mirror path; ar-mirror's back-fill then
 * copies exactly that digest into the mirror. Skipped when Renovate is not installed or the Node
 * running the tests is one Renovate 39 does not support, unless AR_MIRROR_REQUIRE_RENOVATE is set
 * (as .ci/run does when it installed Renovate, and CI's Node 22 job always does).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ActionHarness, DEST, startActionHarness } from '../action/harness.js';
import { buildRandomImage, type PushedImage, pushBuiltImage, pushRandomImage } from '../support/images.js';

/** The Renovate version .ci/run installs; bump both together. */
export const RENOVATE_VERSION = '39.264.1';

function renovateBin(): string | undefined {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache');
  const candidates = [
    process.env.AR_MIRROR_RENOVATE,
    path.join(
      cache,
      'ar-mirror',
      `renovate-${RENOVATE_VERSION}`,
      'node_modules',
      'renovate',
      'dist',
      'renovate.js',
    ),
  ];
  return candidates.find((file): file is string => file !== undefined && existsSync(file));
}

/** Renovate 39's engines are Node ^20.15.1 || ^22.11.0; on another Node it logs an error and exits 1. */
const IS_NODE_SUPPORTED = ['20', '22'].includes(process.versions.node.split('.')[0]!);
const BIN = IS_NODE_SUPPORTED ? renovateBin() : undefined;
if (BIN === undefined && process.env.AR_MIRROR_REQUIRE_RENOVATE)
  throw new Error(
    IS_NODE_SUPPORTED
      ? `Renovate ${RENOVATE_VERSION} is required (AR_MIRROR_REQUIRE_RENOVATE) but not installed`
      : `Renovate ${RENOVATE_VERSION} is required (AR_MIRROR_REQUIRE_RENOVATE) but does not run on Node ${process.version}`,
  );

interface RenovateDep {
  depName: string;
  packageName?: string;
  currentValue: string;
  currentDigest?: string;
  replaceString: string;
  autoReplaceStringTemplate: string;
  updates: { newValue: string; newDigest?: string; updateType: string }[];
}

/** Renders the two Handlebars forms Renovate's docker templates use: `{{#if x}}…{{/if}}` and `{{x}}`. */
function renderTemplate(template: string, values: Record<string, string | undefined>): string {
  return template
    .replace(/\{\{#if (\w+)\}\}(.*?)\{\{\/if\}\}/g, (_all, name: string, body: string) =>
      values[name] ? body : '',
    )
    .replace(/\{\{(\w+)\}\}/g, (_all, name: string) => values[name] ?? '');
}

let h: ActionHarness;
let work: string;
let current: PushedImage;
let next: PushedImage;

describe.skipIf(BIN === undefined)(`Renovate ${RENOVATE_VERSION} with registryAliases`, () => {
  beforeAll(async () => {
    h = await startActionHarness();
    work = mkdtempSync(path.join(tmpdir(), 'ar-mirror-renovate-'));
    const built = await buildRandomImage({ platforms: ['linux/amd64', 'linux/arm64'] });
    await pushBuiltImage(
      h.destination,
      `acme-prod/mirror/${h.source.host.replace(':', '-')}/lib/nginx:1.25`,
      built,
    );
    current = await pushBuiltImage(h.source, 'lib/nginx:1.25', built);
    next = await pushRandomImage(h.source, 'lib/nginx:1.26', { platforms: ['linux/amd64', 'linux/arm64'] });
  });

  afterAll(async () => {
    await h?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('proposes the upstream tag and digest on the mirror path, and back-fill mirrors exactly that', async () => {
    const mirrorPrefix = `${DEST}/${h.source.host.replace(':', '-')}`;
    const dockerfile = `FROM ${h.mirrored('lib/nginx')}:1.25@${current.digest}\nRUN true\n`;
    const repo = path.join(work, 'repo');
    mkdirSync(repo);
    writeFileSync(path.join(repo, 'Dockerfile'), dockerfile);
    // The README's config; only the local registry's plain HTTP is added for the test.
    const config = {
      registryAliases: { [mirrorPrefix]: h.source.host },
      pinDigests: true,
      hostRules: [{ hostType: 'docker', matchHost: `https://${h.source.host}`, insecureRegistry: true }],
    };
    writeFileSync(path.join(repo, 'renovate.json'), JSON.stringify(config, null, 2));
    const report = path.join(work, 'report.json');

    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [BIN!, '--platform=local', '--dry-run=lookup', '--report-type=file', `--report-path=${report}`],
        {
          cwd: repo,
          timeout: 120_000,
          env: {
            PATH: process.env.PATH,
            HOME: work,
            LOG_LEVEL: 'warn',
            RENOVATE_BASE_DIR: path.join(work, 'base'),
          },
        },
        (error, _stdout, stderr) => (error ? reject(new Error(`renovate failed: ${stderr}`)) : resolve()),
      );
    });

    const deps = JSON.parse(readFileSync(report, 'utf8')).repositories.local.packageFiles.dockerfile[0]
      .deps as RenovateDep[];
    expect(deps).toHaveLength(1);
    const dep = deps[0]!;
    expect([dep.depName, dep.packageName, dep.currentValue, dep.currentDigest]).toEqual([
      `${mirrorPrefix}/lib/nginx`,
      `${h.source.host}/lib/nginx`,
      '1.25',
      current.digest,
    ]);
    expect(dep.updates.map((u) => [u.newValue, u.newDigest])).toEqual([['1.26', next.digest]]);
    const proposed = renderTemplate(dep.autoReplaceStringTemplate, {
      depName: dep.depName,
      packageName: dep.packageName,
      newValue: dep.updates[0]!.newValue,
      newDigest: dep.updates[0]!.newDigest,
    });
    expect(proposed).toBe(`${h.mirrored('lib/nginx')}:1.26@${next.digest}`);

    // Renovate's pull request, as it would push it; then ar-mirror's run on it.
    await h.github.createRepo('acme/renovated', { Dockerfile: dockerfile });
    const pr = await h.github.createPullRequest({
      repo: 'acme/renovated',
      head: 'renovate/nginx-1.x',
      files: { Dockerfile: dockerfile.replace(dep.replaceString, proposed) },
      author: 'renovate[bot]',
    });
    const { result } = await h.run('acme/renovated', pr.number);

    expect(result.failure).toBeUndefined();
    expect(await h.destinationDigest('lib/nginx', '1.26')).toBe(next.digest);
    expect(await h.github.commits('acme/renovated', 'renovate/nginx-1.x', pr.headSha)).toEqual([]);
    expect(result.annotations.map((a) => a.title)).toEqual(['Back-filled']);
    expect(h.github.violations).toEqual([]);
  }, 180_000);
});
