import type { ImageReference } from '../reference/types.js';
import type { ImageOccurrence } from '../scan/types.js';

/** Where mirrored images go and how their paths are laid out. */
export interface DestinationSettings {
  /** Registry prefix, `host[:port][/path]`, e.g. `us-docker.pkg.dev/proj/repo` or `127.0.0.1:5000/mirror`. */
  destination: string;
  /** Path of a mirrored image under the destination. Default: `{registry}/{repository}`. */
  pathTemplate?: string;
}

/** What planCopies needs besides the occurrences. */
export interface PlanSettings extends DestinationSettings {
  /** Registries (hosts, `*.suffix` wildcards, `host/path` prefixes) never mirrored. Default: none beyond the built-in ones; the destination is always added. */
  firstParty?: string[];
  /** Image globs matched against `registry/repository` and the canonical reference; matches are never mirrored. Default: none. */
  ignore?: string[];
  /** When non-empty, only images from these registries are mirrored. Default: empty (all). */
  allowRegistries?: string[];
}

/** One unique source image to copy, with every place that references it. */
export interface CopyJob {
  /** Canonical source reference, with tag and/or digest (`docker.io/library/redis:7`). */
  source: string;
  /** Mirrored repository plus `:tag`, or `@digest` for digest-only sources. */
  destination: string;
  occurrences: ImageOccurrence[];
}

/** Why an occurrence is not copied (or, for `not-copied`/`not-rewritable`/`digest-mismatch`, not rewritten). */
export type SkipReason =
  | 'first-party'
  | 'ignored'
  | 'not-allowed'
  | 'invalid-destination'
  | 'destination-collision'
  | 'not-rewritable'
  | 'not-copied'
  | 'digest-mismatch';

/** An occurrence left out of a plan, with a machine-readable reason and a human-readable detail. */
export interface SkippedOccurrence {
  occurrence: ImageOccurrence;
  reason: SkipReason;
  detail: string;
}

/** The result of planCopies. */
export interface CopyPlan {
  /** Unique source images to copy, in order of first occurrence. */
  jobs: CopyJob[];
  /** Occurrences that are not copied. */
  skipped: SkippedOccurrence[];
  /** Occurrences that are copied (they are in a job) but whose file cannot be rewritten safely. */
  notRewritable: SkippedOccurrence[];
}

/** What a copy produced for one job: the digest of the manifest (or index) at the destination. */
export interface CopyResult {
  digest: string;
}

/** One occurrence and the reference it must point to after the rewrite. */
export interface Edit {
  occurrence: ImageOccurrence;
  /** The new reference: registry = destination host, repository = path under it, tag and/or digest. */
  destination: ImageReference;
  /**
   * Set when the new reference is not what the settings ask for, for summaries and annotations:
   * when only the name is rewritten (a `name` target), `variable tag: only the default's tag (20)
   * was mirrored; other values pull tags the mirror does not have until they are mirrored too;
   * not digest-pinned` (rewrite/targets.ts `unpinnedNote`). Default: absent.
   */
  note?: string;
}

/** The edits of one file. */
export interface FileEdits {
  file: string;
  edits: Edit[];
}

/** The result of planEdits. */
export interface EditPlan {
  /** Edits grouped by file, files in path order. */
  files: FileEdits[];
  /** Occurrences that will not be rewritten (copy failed, digest changed, not rewritable). */
  skipped: SkippedOccurrence[];
}

/** Options of planEdits. */
export interface EditOptions {
  /** Write `tag@sha256:…` (true) or keep the source's own tag/digest form (false). Default: true. */
  pinDigest?: boolean;
}
