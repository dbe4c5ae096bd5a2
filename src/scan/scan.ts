/**
 * Runs the finders over discovered files: picks the finder for each path, extracts, and
 * collects occurrences and diagnostics. Pure apart from the discovery it is handed.
 */
import { errorMessage } from '../errors.js';
import { globMatcher } from '../glob.js';
import { type DiscoverOptions, discoverFiles, type SourceFile } from './discover.js';
import type { Diagnostic, ExtractResult, Finder, FinderContext, ImageOccurrence } from './types.js';

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
}

export interface ScanResult {
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
  /** The files that were read, for a later rewrite (content as scanned). */
  files: SourceFile[];
}

/** Scans directories and files on disk with the given finders. */
export function scanPaths(roots: readonly string[], options: ScanOptions): ScanResult {
  const isIncluded = options.include?.length ? globMatcher(options.include) : () => true;
  const isExcluded = globMatcher(options.exclude ?? []);
  const wanted = (file: string) =>
    isIncluded(file) && !isExcluded(file) && options.finders.some((finder) => finder.matches(file));
  const discoverOptions: DiscoverOptions = { wanted };
  if (options.cwd !== undefined) discoverOptions.cwd = options.cwd;
  if (options.maxBytes !== undefined) discoverOptions.maxBytes = options.maxBytes;
  const discovery = discoverFiles(roots, discoverOptions);

  const result: ScanResult = {
    occurrences: [],
    diagnostics: [...discovery.diagnostics],
    files: discovery.files,
  };
  for (const source of discovery.files) {
    const extracted = extractWith(options.finders, source.file, source.content, source);
    result.occurrences.push(...extracted.occurrences);
    result.diagnostics.push(...extracted.diagnostics);
  }
  return result;
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
