/** The types of the settings, shared by the table (table.ts), the validator and the schema. */

/** What the action does with new third-party images (see Settings.mode). */
export type Mode = 'commit' | 'suggest' | 'copy' | 'report';
/** When a run fails (see Settings.failOn). */
export type FailOn = 'error' | 'unmirrored' | 'never';

/** Every mode, in the order the docs list them. */
export const MODES: readonly Mode[] = ['commit', 'suggest', 'copy', 'report'];
/** Every fail-on value. */
export const FAIL_ON: readonly FailOn[] = ['error', 'unmirrored', 'never'];

/** The validated settings of one run, each with its default applied (resolveSettings). */
export interface Settings {
  /** Registry prefix images are mirrored under, e.g. `us-docker.pkg.dev/my-project/mirror`. Required. */
  destination: string;
  /** What the action does with new third-party images. Default: `commit`. */
  mode: Mode;
  /** Rewrite to `tag@sha256:…` (true) or the tag only (false). Default: true. */
  pinDigest: boolean;
  /** Path of a mirrored image under the destination. Default: `{registry}/{repository}`. */
  pathTemplate: string;
  /** Platforms to copy (`os/arch[/variant]`); empty copies every platform. Default: all. */
  platforms: string[];
  /** Also copy cosign signatures, attestations, SBOMs and OCI referrers. Default: true. */
  signatures: boolean;
  /** Only files matching these globs are scanned. Default: every file. */
  include: string[];
  /** Files matching these globs are never scanned. Default: none. */
  exclude: string[];
  /** When non-empty, only images from these registries are mirrored; others are reported. Default: empty (all). */
  allowRegistries: string[];
  /** Registries treated like Artifact Registry: never mirrored. Default: none beyond the built-in ones. */
  firstPartyRegistries: string[];
  /** Image globs (`docker.io/library/busybox*`) that are never mirrored. Default: none. */
  ignoreImages: string[];
  /** Credentials for private source registries, by host; from the input or a flag only, never the config file. Default: none. */
  registryCredentials: Record<string, { username: string; password: string }>;
  /** Create the Artifact Registry repository when it does not exist. Default: false. */
  createRepository: boolean;
  /** When the run fails: on errors only, also when an image stays unmirrored, or never. Default: `error`. */
  failOn: FailOn;
  /** Take every third-party reference in changed files, not only new ones. Default: false. */
  scanAll: boolean;
  /** Concurrent blob transfers per copy. Default: 4. */
  jobs: number;
  /** How long one image's copy (signatures included) may take, in ms. Default: 30 min (DEFAULT_TIMEOUT_MS). */
  timeoutMs: number;
  /** Refresh follows only images matching these globs (`registry/repository[:tag]`). Default: all. */
  refreshOnly: string[];
  /** Refresh never follows images matching these globs. Default: none. */
  refreshIgnore: string[];
  /** Refresh takes a new upstream digest only once it is this old (ms, by its `created` time). Default: 0. */
  refreshMinAge: number;
}

/** Raw values by kebab-case key, as strings (inputs and flags) or YAML values (config file). */
export type RawSettings = Record<string, unknown>;
