/**
 * The copy side shared by `migrate` and the action: one connection pool and keychain for every
 * image of a run, the Artifact Registry preflight once per destination, then copyImage per job.
 */
import { DEFAULT_JOBS } from '../config/values.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import {
  type PreflightResult,
  parseArtifactRegistryDestination,
  preflightArtifactRegistry,
} from '../registry/artifact-registry.js';
import { type CopyResult, copyImage, type Progress } from '../registry/copy.js';
import type { Keychain } from '../registry/credentials/types.js';
import { ALL_SHORTCUTS, createCopySession } from '../registry/session.js';
import { createImageLookup, type ImageLookup } from './lookup.js';

/** Options shared by every copy of a run. */
export interface CopierOptions {
  keychain: Keychain;
  logger: Logger;
  /** Hosts spoken to over plain HTTP. Default: none. */
  plainHttp?: string[];
  /** Registry name → API endpoint URL overrides. Default: none. */
  endpoints?: Record<string, string>;
  /**
   * Blob transfers at once per registry host, across every image of the run, fixed (a 429 or
   * 503 still lowers it for a while; `--jobs`). Default: adaptive (16 to begin with, up to 32,
   * halved when a registry pushes back; see src/registry/pace.ts).
   */
  jobs?: number | undefined;
  /** How long one image's copy may take. Default: 30 min (see CopyOptions.timeoutMs). */
  timeoutMs?: number;
  /** Platforms to keep (`os/arch[/variant]`); empty keeps all. Default: all. */
  platforms?: string[];
  /** Copy signatures, attestations, SBOMs and referrers. Default: false. */
  signatures?: boolean;
  /** Create a missing Artifact Registry repository. Default: false. */
  createRepository?: boolean;
  /** Artifact Registry REST base (tests point it at a local server). Default: Google's API. */
  artifactRegistryApi?: string;
  /** Called whenever blobs or bytes advance. Default: none. */
  onProgress?: (progress: Progress) => void;
}

/** Copies the images of one run over shared connections, keychain and blob store. */
export interface Copier {
  /**
   * Checks an Artifact Registry destination through its API (undefined for other registries,
   * which have no such API, and, with a warning, when the destination's credentials are not a
   * Google access token). Throws ArtifactRegistryError with what to fix.
   */
  preflight(destinationPrefix: string): Promise<PreflightResult | undefined>;
  copy(source: string, destination: string): Promise<CopyResult>;
  /** Read-only lookups (what a tag names now, when an image was built) over the same connections and keychain. */
  readonly lookup: ImageLookup;
  close(): Promise<void>;
}

/**
 * The copier's `jobs` from the `jobs` setting, which is DEFAULT_JOBS when nobody set it: a value
 * the user gave fixes the pace, the default leaves it adaptive. `explicit` says it was given
 * (`--jobs`); otherwise only a value other than the default counts as given, so a config file's
 * `jobs: 4` reads as the default.
 */
export function pacedJobs(jobs: number, explicit = false): number | undefined {
  return explicit || jobs !== DEFAULT_JOBS ? jobs : undefined;
}

/** True for `LOCATION-docker.pkg.dev` hosts, the only ones the preflight applies to. */
export function isArtifactRegistryHost(host: string): boolean {
  return /^[a-z0-9-]+-docker\.pkg\.dev$/.test(host);
}

/**
 * Creates the copier of one run; close it when done. Its session (src/registry/session.ts) is
 * shared by every copy: connections, each host's pace, each registry's challenge and tokens,
 * what each host does with monolithic uploads, and the blobs sent (images copied by one run often
 * share layers, node:20 and node:20-slim: each moves once). It takes every protocol shortcut.
 */
export function createCopier(options: CopierOptions): Copier {
  const session = createCopySession({ jobs: options.jobs, shortcuts: ALL_SHORTCUTS });
  // Learned by the preflight: with immutable tags, a tag that already names another digest must
  // fail before anything is uploaded, not with a 400 at the end of the push.
  let immutableTags = false;
  return {
    async preflight(destinationPrefix) {
      const result = await preflight(options, destinationPrefix);
      if (result) immutableTags = result.immutableTags;
      return result;
    },
    copy(source, destination) {
      return copyImage(source, destination, {
        keychain: options.keychain,
        logger: options.logger,
        session,
        ...(options.jobs ? { jobs: options.jobs } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        plainHttp: options.plainHttp ?? [],
        ...(options.endpoints ? { endpoints: options.endpoints } : {}),
        platforms: options.platforms ?? [],
        signatures: options.signatures ?? false,
        immutableTags,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
    },
    lookup: createImageLookup({
      keychain: options.keychain,
      pool: session.pool,
      auth: (registry) => session.auth(registry),
      logger: options.logger,
      plainHttp: options.plainHttp ?? [],
      ...(options.endpoints ? { endpoints: options.endpoints } : {}),
    }),
    close: () => session.close(),
  };
}

/** Runs the Artifact Registry preflight for an Artifact Registry destination (see Copier.preflight). */
async function preflight(
  options: CopierOptions,
  destinationPrefix: string,
): Promise<PreflightResult | undefined> {
  const host = destinationPrefix.split('/')[0] ?? '';
  if (!isArtifactRegistryHost(host)) return undefined;
  const destination = parseArtifactRegistryDestination(destinationPrefix);
  const token = await googleAccessToken(options.keychain, host);
  if (token === undefined) {
    options.logger.warning(
      `Artifact Registry preflight skipped for ${destinationPrefix}: the credentials for ${host} are not a Google access token (username oauth2accesstoken), which the Artifact Registry API needs; the push uses them as they are`,
    );
    return undefined;
  }
  const result = await preflightArtifactRegistry(destination, {
    accessToken: async () => token,
    createRepository: options.createRepository ?? false,
    ...(options.artifactRegistryApi ? { apiBase: options.artifactRegistryApi } : {}),
  });
  if (result.created)
    options.logger.info(
      `created Artifact Registry repository ${destination.project}/${destination.repository}`,
    );
  if (result.immutableTags)
    options.logger.info(`${destinationPrefix} has immutable tags: existing tags are never moved`);
  return result;
}

/**
 * The Artifact Registry API takes the Google access token the registry accepts as the password
 * of `oauth2accesstoken`. Other credentials (`_json_key:…`, any Basic login) work for the push but
 * not as a Bearer token for the API: undefined then, and the caller skips the preflight.
 */
async function googleAccessToken(keychain: Keychain, host: string): Promise<string | undefined> {
  let credential: Awaited<ReturnType<Keychain['get']>>;
  try {
    credential = await keychain.get(host);
  } catch (err) {
    throw new Error(`cannot get Google credentials for ${host}: ${errorMessage(err)}`);
  }
  if (!credential) {
    throw new Error(
      `no Google credentials for ${host}: run google-github-actions/auth before ar-mirror, pass gcp-access-token, or set GOOGLE_APPLICATION_CREDENTIALS`,
    );
  }
  return credential.username === 'oauth2accesstoken' ? credential.password : undefined;
}
