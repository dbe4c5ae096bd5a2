/**
 * Runs the finders over discovered files: picks the finder for each path, extracts, and
 * collects occurrences and diagnostics. Pure apart from the discovery it is handed.
 */

import path from 'node:path';
import { errorMessage } from '../errors.js';
import { globMatcher } from '../glob.js';
import {
  type DiscoverOptions,
  type Discovery,
  discoverFiles,
  relative,
  type SourceFile,
} from './discover.js';
import { createProjectFiles, separateBuildOutputs, uniqueOccurrences } from './project.js';
import type {
  BuildOutput,
  Diagnostic,
  ExtractResult,
  Finder,
  FinderContext,
  ImageOccurrence,
  ProjectFiles,
} from './types.js';

export interface ScanOptions {
  finders: readonly Finder[];
  /** Directory that reported paths are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Only paths matching one of these globs are scanned. Default: every path. */
  include?: readonly string[];
  /** Paths matching one of these globs are never scanned. Default: none. */
  exclude?: readonly string[];
  /** Size cap per file in bytes. Default: 5 MiB. */
  maxBytes?: number;
  /**
   * Env files for every compose project, in order, relative to `cwd`, as `docker compose
   * --compose-env-file` takes them: they replace each project's `.env`, and a later one overrides an
   * earlier one. Default: none (each compose file reads the `.env` beside it).
   */
  envFiles?: readonly string[];
}

/** A file read by a scan, with the project around it: what a rewrite hands back to the finders. */
export interface ScannedFile extends SourceFile {
  project: ProjectFiles;
}

export interface ScanResult {
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
  /** The files that were read, for a later rewrite (content as scanned, context included). */
  files: ScannedFile[];
}

/**
 * Scans directories and files on disk with the given finders. Every file read is visible to the
 * finders of the others (`FinderContext.project`); references to images the repository builds
 * itself become notices, and one place naming one image is reported once.
 */
export function scanPaths(roots: readonly string[], options: ScanOptions): ScanResult {
  const isIncluded = options.include?.length ? globMatcher(options.include) : () => true;
  const isExcluded = globMatcher(options.exclude ?? []);
  const wanted = (file: string) =>
    isIncluded(file) &&
    !isExcluded(file) &&
    options.finders.some((finder) => finder.matches(file) || finder.reads?.(file));
  const discoverOptions: DiscoverOptions = { wanted };
  if (options.cwd !== undefined) discoverOptions.cwd = options.cwd;
  if (options.maxBytes !== undefined) discoverOptions.maxBytes = options.maxBytes;
  const discovery = discoverFiles(roots, discoverOptions);
  const envFiles = readEnvFiles(options, discovery);

  const project = createProjectFiles(discovery.files, envFiles);
  const files = discovery.files.map((source): ScannedFile => Object.assign(source, { project }));
  const occurrences: ImageOccurrence[] = [];
  const diagnostics = [...discovery.diagnostics];
  const outputs: BuildOutput[] = [];
  /** Files that received occurrences from another file's extraction: only there can one repeat. */
  const shared = new Set<string>();
  for (const source of files) {
    // Context-only files (a chart's `_helpers.tpl`) are read for the others, never extracted.
    const finder = finderFor(options.finders, source.file);
    if (!finder && options.finders.some((f) => f.reads?.(source.file))) continue;
    const extracted = extractWith(finder ? [finder] : options.finders, source.file, source.content, source);
    for (const occurrence of extracted.occurrences) {
      if (occurrence.file !== source.file) shared.add(occurrence.file);
      occurrences.push(occurrence);
    }
    diagnostics.push(...extracted.diagnostics);
    if (extracted.buildOutputs) outputs.push(...extracted.buildOutputs);
  }
  const separated = separateBuildOutputs(uniqueOccurrences(occurrences, shared), outputs);
  return { occurrences: separated.occurrences, diagnostics: [...diagnostics, ...separated.notices], files };
}

/** Reads the `--compose-env-file` files (adding them to the discovery) and returns their scan paths. */
function readEnvFiles(options: ScanOptions, discovery: Discovery): string[] | undefined {
  if (!options.envFiles?.length) return undefined;
  const cwd = options.cwd ?? process.cwd();
  const read = discoverFiles(options.envFiles, { wanted: () => true, cwd });
  const known = new Set(discovery.files.map((f) => f.file));
  for (const file of read.files) if (!known.has(file.file)) discovery.files.push(file);
  discovery.diagnostics.push(...read.diagnostics);
  return options.envFiles.map((file) => relative(cwd, path.resolve(cwd, file)));
}

/** The finder that handles a path: the first whose pattern matches. */
export function finderFor(finders: readonly Finder[], file: string): Finder | undefined {
  return finders.find((finder) => finder.matches(file));
}

/**
 * Extracts one file's text with the finder for its path. A finder bug must not end the scan of
 * the other files, so an exception becomes a diagnostic naming the file.
 */
export function extractWith(
  finders: readonly Finder[],
  file: string,
  content: string,
  context: FinderContext,
): ExtractResult {
  const finder = finderFor(finders, file);
  if (!finder) {
    return {
      occurrences: [],
      diagnostics: [
        { file, line: 0, severity: 'notice', message: 'skipped: no finder reads this kind of file' },
      ],
    };
  }
  try {
    return finder.extract(content, file, context);
  } catch (err) {
    return {
      occurrences: [],
      diagnostics: [
        { file, line: 0, severity: 'error', message: `${finder.name} finder failed: ${errorMessage(err)}` },
      ],
    };
  }
}
