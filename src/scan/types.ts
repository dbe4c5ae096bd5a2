import type { ImageReference } from '../reference/types.js';

/**
 * The kinds of place an image reference can come from. The prefix names the finder
 * (`dockerfile`, `kubernetes`, ...); the rest says which construct held it.
 */
export type OccurrenceKind =
  | 'dockerfile-from'
  | 'dockerfile-syntax' // the BuildKit frontend named by `# syntax=`
  | 'dockerfile-copy-from'
  | 'dockerfile-mount-from'
  | 'dockerfile-onbuild'
  | 'kubernetes'
  | 'knative'
  | 'cloud-run'
  | 'compose'
  | 'compose-build-arg' // a compose `build.args` value that becomes the image of the Dockerfile's FROM
  | 'workflow-container'
  | 'workflow-service'
  | 'workflow-step'
  | 'action'
  | 'cloudbuild'
  | 'kustomize'
  | 'helm'
  | 'ko'; // a base image in ko's `.ko.yaml`

/** A position in a text: 1-based line and column (columns count UTF-16 code units). */
export interface Position {
  line: number;
  column: number;
}

/** How the text at a span is written, so a rewrite can write a new value in the same style. */
export type ScalarStyle =
  | 'dockerfile' // a Dockerfile word: no quotes; may sit inside an ARG default
  | 'plain' // YAML plain scalar
  | 'double' // YAML "double-quoted" (span includes the quotes)
  | 'single' // YAML 'single-quoted' (span includes the quotes)
  | 'block-literal' // YAML `|` block scalar (span covers header and body)
  | 'block-folded' // YAML `>` block scalar (span covers header and body)
  // A stretch inside a YAML scalar of that style (never its quotes), whose source text is exactly
  // its decoded text: the default of `${VAR:-image}` or the name of `image:${TAG}`. A rewrite
  // writes only text that needs no quoting or escaping in that style (the reference alphabet).
  | 'plain-inner'
  | 'double-inner'
  | 'single-inner'
  // A `.env` value whose source text is exactly its value (unquoted, or inside its quotes).
  | 'dotenv';

/** A stretch of the source text: offsets in UTF-16 code units, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** One scalar a rewrite can replace: its span, its written style and its decoded value. */
export interface ScalarSpan extends Span {
  style: ScalarStyle;
  /** The decoded value (quotes removed, escapes resolved). */
  value: string;
}

/**
 * Where and how a rewrite changes the file for one occurrence.
 * - `scalar`: the scalar holds the whole image reference (possibly a `docker://` prefix, see `prefix`).
 *   It may be the default inside one interpolation that is the whole image (`${DB:-postgres:16}`:
 *   the span is `postgres:16`, so the variable keeps working after the rewrite).
 * - `name`: only the registry/repository part is literal and the tag is built from variables
 *   (`node:${NODE_VERSION}-alpine`, `redis:${TAG:-7}`). `scalar` spans that name part (`node`;
 *   `value` is the name as written). A rewrite replaces just the name and keeps the tag text, so
 *   the result keeps the source's (variable) tag and cannot be digest-pinned.
 * - `fields`: the image is split across keys of one YAML mapping (Kustomize `images:` entries, Helm
 *   `image:` blocks). `fields` holds the keys that exist; `mapping` lets a rewrite add missing keys.
 * - `none`: the occurrence cannot be rewritten safely (`reason` says why); it is still reported.
 */
export type RewriteTarget =
  | { type: 'scalar'; scalar: ScalarSpan; prefix: string }
  | { type: 'name'; scalar: ScalarSpan; variables: string[] }
  | {
      type: 'fields';
      format: 'kustomize' | 'helm';
      fields: Record<string, ScalarSpan>;
      mapping: MappingInfo;
      /**
       * The key each field is written under when it is not the field's own name (a Helm block
       * with `name:` or `repo:` for the repository, `image:` beside `imageTag:`), so a rewrite
       * adds a missing key under the name the chart reads. Default: the field names.
       */
      keys?: Record<string, string>;
    }
  | { type: 'none'; reason: string };

/** What a rewrite needs to add a key to a YAML mapping without re-serialising it. */
export interface MappingInfo {
  /** Offset of the mapping node's start and end (end = after its last value). */
  start: number;
  end: number;
  /** True for `{a: b}` flow mappings. */
  flow: boolean;
  /** Indentation (spaces) of the mapping's keys, for block mappings. */
  indent: number;
}

/** One image reference found in a file. */
export interface ImageOccurrence {
  /** Path of the file, relative to the scan root, `/`-separated (`-` for stdin). */
  file: string;
  kind: OccurrenceKind;
  /** Start and end (exclusive) of the text a rewrite would replace: for `fields`, the main field. */
  start: Position;
  end: Position;
  /** The exact source text between start and end. */
  raw: string;
  /** The effective image reference after variable substitution, normalised. */
  reference: ImageReference;
  target: RewriteTarget;
}

export type Severity = 'error' | 'warning' | 'notice';

/** Something a finder could not resolve or read; never fatal for the scan. */
export interface Diagnostic {
  file: string;
  /** 1-based line, 0 when the problem is about the whole file. */
  line: number;
  severity: Severity;
  message: string;
}

/** What a finder returns for one file. */
export interface ExtractResult {
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
  /** Images this file says the repository builds itself (Skaffold artifacts, Tilt builds, compose `build`). Default: none. */
  buildOutputs?: BuildOutput[];
}

/**
 * An image the repository builds itself, as a build tool's configuration declares it. A deploy
 * tool puts its own build in place of such a name, so references to it elsewhere are reported as
 * notices, not mirrored.
 */
export interface BuildOutput {
  /** `registry/repository`, normalised (`docker.io/library/adservice`). */
  name: string;
  /** The file and line that declare it. */
  file: string;
  line: number;
  /** The tool and the construct, for messages: `skaffold build.artifacts`, `Tiltfile docker_build`. */
  via: string;
  /**
   * The tag the build writes, when a reference must carry it too to name the build: compose tags
   * its build with the service's whole `image` (`demo:1.7.0-frontend`), so `demo:1.7.0-loadgen`
   * is another image. Absent for an untagged or `latest` output and for Skaffold and Tilt, which
   * put their build in place of every tag of the name. Default: absent (any tag matches).
   */
  tag?: string;
  /**
   * Which references it stands for: `tree`, those in the declaring file's directory and below
   * (Skaffold and Tilt replace them when they deploy); `file`, only those in the declaring file.
   */
  scope: 'tree' | 'file';
}

/** What a finder may know about a file's surroundings, supplied by the caller (never read from disk by the finder). */
export interface FinderContext {
  /** True when a file with this name sits in the same directory (Helm values need a `Chart.yaml`). */
  hasSibling(name: string): boolean;
  /**
   * The other files of the same scan, for the formats whose meaning spans files: compose `.env`
   * and build args, Helm's `Chart.yaml` and templates. Default: absent (a file scanned on its
   * own, as the action does), and then those finders resolve what the file alone says.
   */
  project?: ProjectFiles;
}

/** Read access to the files of one scan, by the paths occurrences use (relative, `/`-separated). */
export interface ProjectFiles {
  /** The text of a file read by the scan, or undefined when it was not read. */
  read(path: string): string | undefined;
  /** The paths of the files read in a directory (`path.posix.dirname` of a file's path), sorted. */
  list(directory: string): readonly string[];
  /** The paths of the files read in a directory and all directories below it, sorted. */
  listUnder(directory: string): readonly string[];
  /**
   * The env files every compose project interpolates with, in order, as `docker compose
   * --compose-env-file` gives them (replacing each project's `.env`). Default: none given, so each
   * compose file reads the `.env` of its own directory.
   */
  envFiles?: readonly string[];
}

/** One file format: which paths it reads and how it extracts images from their text. Pure. */
export interface Finder {
  /** Short name used in messages and docs (`dockerfile`, `kubernetes`, ...). */
  name: string;
  /** True when the finder should read this path (relative, `/`-separated). */
  matches(path: string): boolean;
  /** Extracts image occurrences; never throws on bad input, returns diagnostics instead. */
  extract(content: string, file: string, context: FinderContext): ExtractResult;
  /**
   * True for files the finder reads only as context for others (a Helm chart's `templates/*.tpl`):
   * a scan reads them into `ProjectFiles` but extracts nothing from them. Default: none.
   */
  reads?(path: string): boolean;
}
