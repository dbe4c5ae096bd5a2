/**
 * The action's entry: read the runner's environment, build the real GitHub client and copier,
 * run the pipeline, then hand its results to the runner (annotations, outputs, job summary)
 * and turn any thrown error into a failed step.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { createCoreLogger } from './action/core-logger.js';
import { parseEventContext } from './action/event.js';
import { readActionInputs } from './action/inputs.js';
import { runAction } from './action/run-action.js';
import { readNetworkEnvironment } from './config.js';
import { errorMessage } from './errors.js';
import { createGitHubClient } from './github/client.js';
import { createCopier } from './pipeline/copier.js';
import { createStaticTokenSource } from './registry/credentials/google.js';
import { createKeychain } from './registry/credentials/keychain.js';

/** Runs the action once; never throws (failures go to `core.setFailed`). `env` defaults to process.env. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const logger = createCoreLogger();
    const inputs = readActionInputs((name) => core.getInput(name), logger);
    const eventPath = env.GITHUB_EVENT_PATH;
    const event = parseEventContext(env, eventPath ? readFileSync(eventPath, 'utf8') : undefined);
    const github = createGitHubClient({
      token: inputs.githubToken,
      logger,
      ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
      ...(env.GITHUB_GRAPHQL_URL ? { graphqlUrl: env.GITHUB_GRAPHQL_URL } : {}),
    });
    const { plainHttp, endpoints, artifactRegistryApi } = readNetworkEnvironment(env);
    const result = await runAction({
      github,
      event,
      inputs,
      logger,
      createCopier: (settings) =>
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
          jobs: settings.jobs,
          platforms: settings.platforms,
          signatures: settings.signatures,
          createRepository: settings.createRepository,
          ...(artifactRegistryApi ? { artifactRegistryApi } : {}),
        }),
    });
    for (const annotation of result.annotations) {
      const { level, message, ...properties } = annotation;
      const emit = level === 'error' ? core.error : level === 'warning' ? core.warning : core.notice;
      emit(message, properties);
    }
    core.setOutput('references', JSON.stringify(result.references));
    core.setOutput('mirrored', JSON.stringify(result.mirrored));
    core.setOutput('commit-sha', result.commit?.oid ?? '');
    try {
      await core.summary.addRaw(result.summary, true).write();
    } catch (err) {
      // No GITHUB_STEP_SUMMARY (act, old GHES): the annotations, comment and outputs still stand.
      core.warning(`could not write the job summary: ${errorMessage(err)}`);
    }
    if (result.failure) core.setFailed(result.failure);
  } catch (err) {
    core.setFailed(errorMessage(err));
  }
}
