/**
 * Every finder, in the order a path is offered to them (the first that matches reads it), and
 * the entry points the rest of the pipeline uses to scan text.
 */
import { dotenvFinder } from './compose/index.js';
import { dockerfileFinder } from './dockerfile/index.js';
import { extractWith } from './scan.js';
import { tiltFinder } from './tilt/index.js';
import type { ExtractResult, Finder, FinderContext } from './types.js';
import { yamlFinders } from './yaml/index.js';

export { extractYamlStream } from './yaml/index.js';

/**
 * Dockerfiles first (their names never clash with YAML), then the YAML finders by priority, then
 * the formats read by exact name (`.env`, `Tiltfile`).
 */
export const allFinders: readonly Finder[] = [dockerfileFinder, ...yamlFinders, dotenvFinder, tiltFinder];

const noSiblings: FinderContext = { hasSibling: () => false };

/** Extracts one file's text with the finder its path selects; a path no finder reads yields a notice. */
export function extractFile(
  file: string,
  content: string,
  context: FinderContext = noSiblings,
): ExtractResult {
  return extractWith(allFinders, file, content, context);
}

/** True when some finder reads this path. */
export function isScannedPath(file: string): boolean {
  return allFinders.some((finder) => finder.matches(file));
}
