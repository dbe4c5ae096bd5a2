/**
 * In-process harness for runAction: the simulated GitHub, a real "third-party" source registry,
 * a real destination registry reached as `us-docker.pkg.dev` through an endpoint override, the
 * fake Artifact Registry API and the real copier. One instance per test file (beforeAll).
 */
import type { EventContext, PullRequestEvent } from '../../src/action/event.js';
import { readActionInputs } from '../../src/action/inputs.js';
import { type ActionResult, runAction } from '../../src/action/run-action.js';
import { type RefreshActionResult, runRefreshAction } from '../../src/action/run-refresh.js';
import type { Settings } from '../../src/config.js';
import { bindGitHubClient, createGitHubClient, createGitHubContext } from '../../src/github/client.js';
import { createRepositoryClient } from '../../src/github/repository-client.js';
import type { Logger } from '../../src/log.js';
import { createCopier } from '../../src/mirror/copier.js';
import { createStaticTokenSource } from '../../src/registry/credentials/google.js';
import { createKeychain } from '../../src/registry/credentials/keychain.js';
import { processSecrets } from '../../src/secrets.js';
import { type GitHubServer, startGitHubServer } from '../support/github-server/index.js';
import { type FakeGoogle, startFakeGoogle } from '../support/google.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

export const DEST = 'us-docker.pkg.dev/acme-prod/mirror';
const IDENTITY = 'ar-mirror@acme-prod.iam.gserviceaccount.com';

/** What one in-process run returned and logged. */
export interface InProcessRun {
  result: ActionResult;
  /** Every log line, warnings prefixed with `warning: `. */
  logs: string[];
  /** Values handed to logger.secret. */
  secrets: string[];
}

/** The shared servers of one test file. */
export interface ActionHarness {
  github: GitHubServer;
  source: TestRegistry;
  destination: TestRegistry;
  google: FakeGoogle;
  /** The mirrored repository of a source image path, e.g. `lib/app` → `DEST/127.0.0.1-PORT/lib/app`. */
  mirrored(image: string): string;
  /** The digest of `repository:tag` under the destination prefix, undefined when missing. */
  destinationDigest(image: string, tag: string): Promise<string | undefined>;
  run(
    repo: string,
    number: number,
    options?: {
      inputs?: Record<string, string>;
      eventName?: PullRequestEvent;
      isFork?: boolean;
      /** More registries spoken to over plain HTTP (hostile test registries). Default: none. */
      plainHttp?: string[];
    },
  ): Promise<InProcessRun>;
  /** Runs the scheduled refresh of `repo` in process. */
  refresh(
    repo: string,
    options?: { inputs?: Record<string, string>; now?: () => number },
  ): Promise<{ result: RefreshActionResult; logs: string[] }>;
  close(): Promise<void>;
}

function recordingLogger(secrets: string[]): { logs: string[]; logger: Logger } {
  const logs: string[] = [];
  const logger: Logger = {
    group: (_name, fn) => fn(),
    info: (message) => logs.push(message),
    debug: () => {},
    warning: (message) => logs.push(`warning: ${message}`),
    // As the action's core logger does: every secret also reaches the process's Redactor.
    secret: (value) => {
      secrets.push(value);
      processSecrets.add(value);
    },
    isDebug: false,
  };
  return { logs, logger };
}

export async function startActionHarness(): Promise<ActionHarness> {
  const [github, source, destination, google] = await Promise.all([
    startGitHubServer(),
    startRegistry({ mode: 'none' }),
    startRegistry({ mode: 'none' }),
    startFakeGoogle(),
  ]);
  google.repositories.set('projects/acme-prod/locations/us/repositories/mirror', {
    name: 'projects/acme-prod/locations/us/repositories/mirror',
    format: 'DOCKER',
    mode: 'STANDARD_REPOSITORY',
  });
  google.grant(IDENTITY, [
    'artifactregistry.repositories.get',
    'artifactregistry.repositories.uploadArtifacts',
  ]);
  const hostPath = source.host.replace(':', '-');
  /** The real copier against the local registries, with a fresh Google token for the fake API. */
  const copierFor =
    (logger: Logger, extraPlainHttp: readonly string[] = []) =>
    (settings: Settings) =>
      createCopier({
        keychain: createKeychain({
          explicit: settings.registryCredentials,
          google: createStaticTokenSource(google.mintToken(IDENTITY)),
          env: {},
          logger,
        }),
        logger,
        plainHttp: [source.host, destination.host, ...extraPlainHttp],
        endpoints: { 'us-docker.pkg.dev': destination.url },
        jobs: settings.jobs,
        platforms: settings.platforms,
        signatures: settings.signatures,
        createRepository: settings.createRepository,
        artifactRegistryApi: google.apiBase,
      });
  return {
    github,
    source,
    destination,
    google,
    mirrored: (image) => `${DEST}/${hostPath}/${image}`,
    async destinationDigest(image, tag) {
      const res = await destination.fetch(`/v2/acme-prod/mirror/${hostPath}/${image}/manifests/${tag}`, {
        method: 'HEAD',
        headers: {
          accept:
            'application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json',
        },
      });
      return res.status === 200 ? res.headers['docker-content-digest'] : undefined;
    },
    async refresh(repo, options = {}) {
      const { logs, logger } = recordingLogger([]);
      const values: Record<string, string> = {
        destination: DEST,
        'github-token': github.token,
        ...options.inputs,
      };
      const inputs = readActionInputs((name) => values[name] ?? '', logger);
      const context = createGitHubContext({
        token: inputs.githubToken,
        logger,
        apiUrl: github.url,
        graphqlUrl: github.graphqlUrl,
        throttle: false,
        retries: 0,
      });
      const result = await runRefreshAction({
        github: bindGitHubClient(context),
        repository: createRepositoryClient(context),
        repo,
        inputs,
        logger,
        createCopier: copierFor(logger),
        ...(options.now ? { now: options.now } : {}),
      });
      return { result, logs };
    },
    async run(repo, number, options = {}) {
      const secrets: string[] = [];
      const { logs, logger } = recordingLogger(secrets);
      const values: Record<string, string> = {
        destination: DEST,
        'github-token': github.token,
        ...options.inputs,
      };
      const inputs = readActionInputs((name) => values[name] ?? '', logger);
      const client = createGitHubClient({
        token: inputs.githubToken,
        logger,
        apiUrl: github.url,
        graphqlUrl: github.graphqlUrl,
        throttle: false,
        retries: 0,
      });
      const event: EventContext = {
        eventName: options.eventName ?? 'pull_request',
        repo,
        number,
        isFork: options.isFork ?? false,
      };
      const result = await runAction({
        github: client,
        event,
        inputs,
        logger,
        createCopier: copierFor(logger, options.plainHttp),
      });
      return { result, logs, secrets };
    },
    async close() {
      await Promise.all([github.close(), source.stop(), destination.stop(), google.stop()]);
    },
  };
}
