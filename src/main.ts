/**
 * The action's entry: read the runner's environment, build the real GitHub client and copier,
 * run the pipeline (the pull-request one, or the refresh on schedule and workflow_dispatch), then
 * hand its results to the runner (annotations, outputs, job summary) and turn any thrown error
 * into a failed step.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { type CoreLogger, createCoreLogger } from './action/core-logger.js';
import { type EventContext, isRefreshEvent, parseEventContext, repositoryOf } from './action/event.js';
import { type ActionInputs, readActionInputs } from './action/inputs.js';
import { type ActionResult, runAction } from './action/run-action.js';
import { type RefreshActionResult, runRefreshAction } from './action/run-refresh.js';
import { readNetworkEnvironment, type Settings } from './config.js';
import { errorMessage } from './errors.js';
import { limitAnnotations } from './github/annotations.js';
import { bindGitHubClient, createGitHubClient, createGitHubContext } from './github/client.js';
import { createRepositoryClient } from './github/repository-client.js';
import { fitSummary, renderFindings } from './github/summary.js';
import type { GitHubClient } from './github/types.js';
import type { Logger } from './log.js';
import { type Copier, createCopier, pacedJobs } from './mirror/copier.js';
import { createStaticTokenSource } from './registry/credentials/google.js';
import { createKeychain } from './registry/credentials/keychain.js';
import { processSecrets } from './secrets.js';

/** Runs the action once; never throws (failures go to `core.setFailed`). `env` defaults to process.env. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const logger = createCoreLogger();
    const inputs = readActionInputs((name) => core.getInput(name), logger);
    if (isRefreshEvent(env.GITHUB_EVENT_NAME)) {
      await reportRefresh(await runRefresh(env, inputs, logger), logger);
      return;
    }
    const result = await runAction({
      github: createRunnerGitHubClient(env, inputs.githubToken, logger),
      event: readEvent(env),
      inputs,
      logger,
      createCopier: copierFactory(env, inputs, logger),
    });
    await report(result, logger);
  } catch (err) {
    // A thrown error skips runAction's redaction of its result: mask it here.
    core.setFailed(processSecrets.redact(errorMessage(err)));
  }
}

/** The scheduled refresh of the default branch (schedule and workflow_dispatch events). */
function runRefresh(
  env: NodeJS.ProcessEnv,
  inputs: ActionInputs,
  logger: Logger,
): Promise<RefreshActionResult> {
  const context = createGitHubContext(githubOptions(env, inputs.githubToken, logger));
  return runRefreshAction({
    github: bindGitHubClient(context),
    repository: createRepositoryClient(context),
    repo: repositoryOf(env),
    inputs,
    logger,
    createCopier: copierFactory(env, inputs, logger),
  });
}

/** Hands a refresh's result to the runner: outputs, the job summary, and the failure if any. */
async function reportRefresh(result: RefreshActionResult, logger: Logger): Promise<void> {
  const moved = result.images.filter((image) => image.status === 'moved');
  core.setOutput('references', '[]');
  core.setOutput(
    'mirrored',
    JSON.stringify(
      moved.map((i) => ({
        source: `${i.source.registry}/${i.source.repository}:${i.tag}`,
        destination: `${i.mirror}:${i.tag}`,
        digest: i.newDigest,
        platforms: i.platforms,
        status: 'refreshed',
      })),
    ),
  );
  core.setOutput('commit-sha', result.commit?.oid ?? '');
  await writeSummary(result.summary, logger);
  if (result.failure) core.setFailed(result.failure);
}

/** The event the workflow runs for, from GITHUB_EVENT_NAME, GITHUB_REPOSITORY and the payload file. */
function readEvent(env: NodeJS.ProcessEnv): EventContext {
  const eventPath = env.GITHUB_EVENT_PATH;
  return parseEventContext(env, eventPath ? readFileSync(eventPath, 'utf8') : undefined);
}

/** The GitHub client for this runner's API (GHES sets GITHUB_API_URL and GITHUB_GRAPHQL_URL). */
function createRunnerGitHubClient(env: NodeJS.ProcessEnv, token: string, logger: Logger): GitHubClient {
  return createGitHubClient(githubOptions(env, token, logger));
}

function githubOptions(env: NodeJS.ProcessEnv, token: string, logger: Logger) {
  return {
    token,
    logger,
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
    ...(env.GITHUB_GRAPHQL_URL ? { graphqlUrl: env.GITHUB_GRAPHQL_URL } : {}),
  };
}

/**
 * Builds the copier once settings are known: explicit credentials from registry-credentials,
 * then Docker config, then the Google access token input or Application Default Credentials;
 * network overrides from the environment (readNetworkEnvironment).
 */
function copierFactory(env: NodeJS.ProcessEnv, inputs: ActionInputs, logger: Logger) {
  const { plainHttp, endpoints, artifactRegistryApi } = readNetworkEnvironment(env);
  return (settings: Settings): Copier =>
    createCopier({
      keychain: createKeychain({
        explicit: settings.registryCredentials,
        google: inputs.gcpAccessToken ? createStaticTokenSource(inputs.gcpAccessToken) : 'adc',
        env,
        logger,
      }),
      logger,
      plainHttp,
      endpoints,
      jobs: pacedJobs(settings.jobs),
      timeoutMs: settings.timeoutMs,
      platforms: settings.platforms,
      signatures: settings.signatures,
      createRepository: settings.createRepository,
      ...(artifactRegistryApi ? { artifactRegistryApi } : {}),
    });
}

/**
 * Hands the result to the runner: the job summary, the annotations that fit in the step's limits
 * (beside the warnings the log printed and the error of the failure), outputs, and the failure.
 */
async function report(result: ActionResult, logger: CoreLogger): Promise<void> {
  const fitting = () =>
    limitAnnotations(result.annotations, {
      used: { warning: logger.warningCount, error: result.failure ? 1 : 0 },
    });
  // The summary lists what will not fit; it is written first, as failing to write it is one more warning.
  const shown = new Set(fitting());
  await writeSummary(
    result.summary + renderFindings(result.annotations.filter((annotation) => !shown.has(annotation))),
    logger,
  );
  for (const annotation of fitting()) {
    const { level, message, ...properties } = annotation;
    const emit = level === 'error' ? core.error : level === 'warning' ? core.warning : core.notice;
    emit(message, properties);
  }
  core.setOutput('references', JSON.stringify(result.references));
  core.setOutput('mirrored', JSON.stringify(result.mirrored));
  core.setOutput('commit-sha', result.commit?.oid ?? '');
  if (result.failure) core.setFailed(result.failure);
}

async function writeSummary(summary: string, logger: Logger): Promise<void> {
  try {
    await core.summary.addRaw(fitSummary(summary), true).write();
  } catch (err) {
    // No GITHUB_STEP_SUMMARY (act, old GHES): the annotations, comment and outputs still stand.
    logger.warning(`could not write the job summary: ${errorMessage(err)}`);
  }
}
