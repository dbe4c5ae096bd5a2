/**
 * The scheduled side of the action (`schedule` and `workflow_dispatch` events), as a list of named
 * steps: settings at the default branch's head → its scanned files → the mirror references it
 * follows → upstream lookups and copies of the tags that moved → one commit on the refresh branch
 * and one pull request (refresh-branch.ts) → the job summary. `mode: report` only looks up and
 * `mode: copy` copies without writing to the repository. Every side effect goes through the
 * GitHub clients and the copier it is given.
 */
import type { Settings } from '../config.js';
import { ConfigError, errorMessage } from '../errors.js';
import { codeLink, inertText } from '../github/markdown.js';
import type { RepositoryClient } from '../github/repository-client.js';
import type { CommitResult, GitHubClient } from '../github/types.js';
import type { Logger } from '../log.js';
import type { Copier } from '../mirror/copier.js';
import { mirrorKey, planRefresh, type RefreshPlan } from '../refresh/plan.js';
import { refreshCommitMessage, refreshTitle, renderRefreshBody } from '../refresh/render.js';
import { refreshImages } from '../refresh/run.js';
import type { RefreshedImage } from '../refresh/types.js';
import { redactDeep } from '../secrets.js';
import type { ActionInputs } from './inputs.js';
import { type RefreshWritten, writeRefresh } from './refresh-branch.js';
import { readTreeFiles, scanTreeFiles } from './refresh-files.js';
import { readSettingsAt } from './settings.js';

/** What a refresh run needs from the outside world. */
export interface RefreshEnvironment {
  github: GitHubClient;
  repository: RepositoryClient;
  /** `owner/name` of the repository the workflow runs in. */
  repo: string;
  inputs: ActionInputs;
  logger: Logger;
  /** Builds the copier once settings are known. */
  createCopier(settings: Settings): Copier;
  /** Milliseconds clock (the minimum age). Default: Date.now. */
  now?: () => number;
}

/** What main.ts reports after a refresh. */
export interface RefreshActionResult {
  images: RefreshedImage[];
  commit: CommitResult | undefined;
  pullRequest: { number: number; url: string } | undefined;
  summary: string;
  /** Set when the run must fail (per fail-on), with the reason. */
  failure: string | undefined;
}

/** Runs one refresh; throws ConfigError for bad settings, every later failure is in the result. */
export async function runRefreshAction(env: RefreshEnvironment): Promise<RefreshActionResult> {
  const { repository, logger, repo } = env;
  const defaultBranch = await repository.getDefaultBranch(repo);
  const head = await repository.getBranchHead(repo, defaultBranch);
  if (head === undefined)
    throw new ConfigError(`the default branch ${defaultBranch} of ${repo} does not exist`);
  const settings = await readSettingsAt(env.github, repo, env.inputs, head);
  const scan = await logger.group('Reading the default branch', () =>
    readTreeFiles(env, repo, head, { include: settings.include, exclude: settings.exclude }),
  );
  const { occurrences } = scanTreeFiles(scan.files);
  const plan = planRefresh(occurrences, {
    destination: settings.destination,
    pathTemplate: settings.pathTemplate,
    only: settings.refreshOnly,
    ignore: settings.refreshIgnore,
  });
  logger.info(
    `${plan.followed.length} mirrored image(s) followed, ${plan.reported.length} reference(s) reported`,
  );
  const images = await logger.group(`Looking up ${plan.followed.length} image(s) upstream`, () =>
    lookUpAndCopy(env, settings, plan),
  );
  // report mode only looks up; copy mode copies but writes nothing to the repository.
  const moved = settings.mode === 'copy' ? [] : images.filter((image) => image.status === 'moved');
  const errors = images.filter((i) => i.status === 'failed').map((i) => `${i.mirror}:${i.tag}: ${i.detail}`);
  const body = renderRefreshBody(images, plan.reported);
  let written: RefreshWritten | undefined;
  if (moved.length > 0) {
    try {
      written = await logger.group(`Writing ${moved.length} moved pin(s)`, () =>
        writeRefresh(env, {
          repo,
          defaultBranch,
          head,
          files: scan.files.filter((f) => moved.some((i) => i.occurrences.some((o) => o.file === f.path))),
          digests: new Map(moved.map((i) => [mirrorKey(i.mirror, i.tag), i.newDigest!])),
          title: refreshTitle(moved),
          commitMessage: refreshCommitMessage(moved),
          body,
        }),
      );
    } catch (err) {
      errors.push(`nothing was committed: ${errorMessage(err)}`);
    }
    if (written?.error) errors.push(written.error);
  }
  const notes = [...scan.notes, ...(written?.notes ?? []), ...errors];
  // What leaves for the runner (outputs, summary, failure) may quote registry error text.
  return redactDeep({
    images,
    commit: written?.commit,
    pullRequest: written?.pullRequest,
    summary: renderSummary(body, written, notes),
    failure:
      settings.failOn === 'never' || errors.length === 0
        ? undefined
        : `ar-mirror refresh found ${errors.length} error(s): ${errors.slice(0, 3).join('; ')}`,
  });
}

async function lookUpAndCopy(env: RefreshEnvironment, settings: Settings, plan: RefreshPlan) {
  if (plan.followed.length === 0) return [];
  const copier = env.createCopier(settings);
  try {
    if (settings.mode !== 'report') await copier.preflight(settings.destination);
    return await refreshImages(plan.followed, copier, {
      dryRun: settings.mode === 'report',
      minAgeMs: settings.refreshMinAge,
      platformSubset: settings.platforms.length > 0,
      logger: env.logger,
      ...(env.now ? { now: env.now } : {}),
    });
  } catch (err) {
    // The preflight failed: nothing can be copied, and every image says why.
    const detail = errorMessage(err);
    return plan.followed.map(
      (image): RefreshedImage => ({ ...image, status: 'failed', created: {}, platforms: [], detail }),
    );
  } finally {
    await copier.close();
  }
}

function renderSummary(body: string, written: RefreshWritten | undefined, notes: string[]): string {
  const lines = [body, ''];
  if (written?.pullRequest)
    lines.push(
      `Pull request ${codeLink(`#${written.pullRequest.number}`, written.pullRequest.url)} (${written.pullRequestAction}).`,
    );
  if (written?.commit) lines.push(`Commit ${codeLink(written.commit.oid.slice(0, 7), written.commit.url)}.`);
  lines.push(...notes.map((note) => `- ${inertText(note)}`));
  return lines.join('\n').trimEnd();
}
