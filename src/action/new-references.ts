/**
 * Which references a pull request starts to use: scan each changed file at the head and at the
 * base, and keep the head occurrences whose image the same file did not already reference. Each
 * commit is scanned as `ar-mirror scan` scans a checkout of it: one place naming one image is one
 * reference however many files reach it (a `.env` value used by a changed compose file and read
 * through the changed `.env` itself), and a reference to an image the repository builds is a
 * notice. Pure: the caller reads the files and hands their text in.
 */
import { formatReference } from '../reference/index.js';
import { separateBuildOutputs, uniqueOccurrences } from '../scan/project.js';
import type {
  BuildOutput,
  Diagnostic,
  ExtractResult,
  FinderContext,
  ImageOccurrence,
} from '../scan/types.js';

/** One scanned file's text on both sides of the pull request (a changed file, or a dependent). */
export interface FileVersions {
  /** Path at the head commit. */
  path: string;
  /** Text at the head; undefined when the file was deleted or could not be read. */
  head: string | undefined;
  /** Text at the base (at the previous path for renames); undefined for added files. */
  base: string | undefined;
  /** What the finders may know around the file at the head (its commit's project, its siblings). */
  context: FinderContext;
  /** The path at the base. Default: `path`. */
  basePath?: string;
  /** What the finders may know around the file at the base. Default: `context`. */
  baseContext?: FinderContext;
  /**
   * True for an unchanged file scanned because a changed one decides its images (a compose file
   * reading a changed `.env`): only what differs from its base scan is reported. Default: false.
   */
  isDependent?: boolean;
}

/** The occurrences new in the pull request, and the problems met scanning the changed files. */
export interface NewReferences {
  /** Every occurrence found at the head of the changed files. */
  head: ImageOccurrence[];
  /** The occurrences whose image is new in its file (all of `head` when `scanAll`). */
  added: ImageOccurrence[];
  /** Diagnostics from the head side only: the base is not the PR author's to fix. */
  diagnostics: Diagnostic[];
}

/** What findNewReferences may be told besides the files. */
export interface NewReferenceOptions {
  /** Every head occurrence counts as new. Default: false. */
  scanAll?: boolean;
  /** Build outputs declared outside the scanned files, at each commit. Default: none. */
  outputs?: { head: readonly BuildOutput[]; base: readonly BuildOutput[] };
}

type Extract = (file: string, content: string, context: FinderContext) => ExtractResult;

/**
 * Compares head and base scans file by file. An image counts as present at the base when the
 * canonical reference is the same, so re-indenting or re-quoting a line does not make it new. A
 * place several files reach (a `.env` line) is new when one of them did not reach it at the base.
 */
export function findNewReferences(
  files: readonly FileVersions[],
  extract: Extract,
  options: NewReferenceOptions = {},
): NewReferences {
  const scanned = files.filter((version) => version.head !== undefined);
  const heads = scanned.map((version) => extract(version.path, version.head!, version.context));
  const bases = scanned.map((version) =>
    version.base === undefined || (options.scanAll && !version.isDependent)
      ? undefined
      : extract(version.basePath ?? version.path, version.base, version.baseContext ?? version.context),
  );
  const head = settle(heads, options.outputs?.head ?? []);
  const baseOutputs = declaredIn(bases, options.outputs?.base ?? []);
  const addedPlaces = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  scanned.forEach((version, i) => {
    const base = bases[i];
    const before = base && references(separateBuildOutputs(base.occurrences, baseOutputs).occurrences);
    for (const occurrence of heads[i]!.occurrences)
      if ((options.scanAll && !version.isDependent) || !before?.has(formatReference(occurrence.reference)))
        addedPlaces.add(placeOf(occurrence));
    diagnostics.push(...(version.isDependent ? newDiagnostics(heads[i]!, base) : heads[i]!.diagnostics));
  });
  return {
    head: head.occurrences,
    added: head.occurrences.filter((occurrence) => addedPlaces.has(placeOf(occurrence))),
    diagnostics: [...diagnostics, ...head.notices],
  };
}

function references(occurrences: readonly ImageOccurrence[]): Set<string> {
  return new Set(occurrences.map((o) => formatReference(o.reference)));
}

function declaredIn(
  results: readonly (ExtractResult | undefined)[],
  outputs: readonly BuildOutput[],
): BuildOutput[] {
  return [...outputs, ...results.flatMap((result) => result?.buildOutputs ?? [])];
}

/** A dependent's diagnostics that its base scan did not have: the ones the pull request caused. */
function newDiagnostics(head: ExtractResult, base: ExtractResult | undefined): Diagnostic[] {
  const before = new Set(base?.diagnostics.map((d) => `${d.severity}: ${d.message}`));
  return head.diagnostics.filter((d) => !before.has(`${d.severity}: ${d.message}`));
}

/** One commit's extractions as one scan: repeats removed, images the repository builds set apart as notices. */
function settle(
  results: readonly ExtractResult[],
  outputs: readonly BuildOutput[],
): { occurrences: ImageOccurrence[]; notices: Diagnostic[] } {
  const occurrences = uniqueOccurrences(results.flatMap((result) => result.occurrences));
  return separateBuildOutputs(occurrences, declaredIn(results, outputs));
}

/** One place naming one image, as uniqueOccurrences tells repeats apart. */
function placeOf(occurrence: ImageOccurrence): string {
  const { start, end } = occurrence;
  return `${occurrence.file}\n${start.line}:${start.column}-${end.line}:${end.column}\n${formatReference(occurrence.reference)}`;
}
