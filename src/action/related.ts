/**
 * The files beside the changed ones that the finders need, at one commit of the pull request, so
 * the changed files are read as `ar-mirror scan` reads them in a checkout:
 *
 * - whatever a finder reads while extracting a changed file (a compose file's `.env` and the
 *   Dockerfile its build args feed, a values file's `Chart.yaml` and templates, the compose files
 *   beside a changed `.env`): found by extracting with a view that records the reads it could not
 *   answer, fetching those, and extracting again until nothing is missing;
 * - the build-output declarations that can cover a scanned file (Skaffold configs, Tiltfiles and
 *   compose files in its directory or above), whose outputs become notices, not images;
 * - dependents: unchanged files whose images a changed file decides (the compose files that read
 *   a changed `.env` or build a changed Dockerfile, a chart's values files when its `Chart.yaml` or
 *   templates change). They are scanned like changed files when their extraction reads one.
 */
import path from 'node:path/posix';
import { isComposePath } from '../scan/compose/index.js';
import { dockerfileFinder } from '../scan/dockerfile/index.js';
import { helmFinder } from '../scan/helm/index.js';
import { extractFile } from '../scan/index.js';
import { tiltFinder } from '../scan/tilt/index.js';
import type { BuildOutput, FinderContext, ProjectFiles } from '../scan/types.js';
import { mapLimit } from '../util/map-limit.js';
import type { FileReader, FileText } from './file-reader.js';
import { contextFor, createListing, createView, type Listing } from './project-view.js';
import { ancestorDirectories, type TreeIndex } from './tree-index.js';

/** One commit as the search starts from it. */
export interface SideInput {
  index: TreeIndex;
  /** The changed files' texts at this commit, by their path here. */
  changed: ReadonlyMap<string, FileText>;
  /** Which paths a scan reads (scanFilter). */
  wanted(file: string): boolean;
}

/** What the scan of one commit gets beyond the changed files. */
export interface SideContext {
  index: TreeIndex;
  /** Every text read at this commit (changed and related), by path. */
  texts: ReadonlyMap<string, FileText>;
  /** The project every extraction at this commit sees. */
  project: ProjectFiles;
  /** Build outputs declared by related files (the changed files declare theirs when scanned). */
  outputs: BuildOutput[];
  contextFor(file: string): FinderContext;
}

/** Both commits' context, the dependents to scan, and what could not be read. */
export interface RelatedFiles {
  head: SideContext;
  base: SideContext;
  /** Unchanged files whose extraction reads a changed file, sorted. */
  dependents: string[];
  notes: string[];
}

/** Extract-and-fetch rounds per commit: compose → `.env` → the Dockerfile its args name takes three. */
export const MAX_ROUNDS = 5;
const READ_CONCURRENCY = 8;
const SKAFFOLD = /^skaffold[^/]*\.ya?ml$/;

/** The search state of one commit. */
interface Work {
  input: SideInput;
  texts: Map<string, FileText>;
  unreadable: Set<string>;
  /** Files extracted each round: changed files, dependent candidates and the files their images land in. */
  extracted: Set<string>;
  /** Files extracted only for their build outputs. */
  declarers: Set<string>;
  candidates: Set<string>;
  /** What each candidate read in the last round. */
  reads: Map<string, Set<string>>;
  /** True when the last round still had files to fetch. */
  isUnsettled: boolean;
}

/** Finds, reads and settles the related files of both commits. */
export async function readRelatedFiles(
  reader: FileReader,
  sides: { head: SideInput; base: SideInput },
): Promise<RelatedFiles> {
  const head = startWork(sides.head);
  const base = startWork(sides.base);
  // A dependent is an unchanged file: the same path at both commits.
  const headListing = listingOf(head);
  const candidates = [
    ...new Set([...sides.head.changed.keys()].flatMap((file) => candidatesFor(file, headListing))),
  ].filter((file) => !sides.head.changed.has(file) && !sides.base.changed.has(file));
  for (const work of [head, base]) {
    work.candidates = new Set(candidates.filter((file) => work.input.index.files.has(file)));
    addDeclarers(work);
  }
  await settle(reader, head);
  await settle(reader, base);
  const dependents = candidates.filter((file) => readsChanged(head, file) || readsChanged(base, file)).sort();
  return {
    head: finish(head),
    base: finish(base),
    dependents,
    notes: notesOf(reader, [head, base]),
  };
}

function startWork(input: SideInput): Work {
  return {
    input,
    texts: new Map(input.changed),
    unreadable: new Set(),
    extracted: new Set(input.changed.keys()),
    declarers: new Set(),
    candidates: new Set(),
    reads: new Map(),
    isUnsettled: false,
  };
}

function listingOf(work: Work): Listing {
  const texts = new Map([...work.texts].map(([file, text]) => [file, text.content]));
  return createListing({
    index: work.input.index,
    texts,
    unreadable: work.unreadable,
    wanted: work.input.wanted,
  });
}

/** Unchanged files whose images `file` may decide. */
function candidatesFor(file: string, listing: Listing): string[] {
  const { files } = listing;
  const directory = path.dirname(file);
  const name = path.basename(file);
  if (name === '.env') return files.list(directory).filter(isComposePath);
  if (dockerfileFinder.matches(file))
    return ancestorDirectories(file).flatMap((d) => files.list(d).filter(isComposePath));
  const chart = chartDirectory(file, listing.state.index);
  if (chart === undefined) return [];
  const inside = chart === '.' ? '' : `${chart}/`;
  return files
    .listUnder(chart)
    .filter((p) => helmFinder.matches(p) && !/^(?:templates|charts|crds)\//.test(p.slice(inside.length)));
}

/** The chart a `Chart.yaml` or a template belongs to (the directory above `templates/`), if any. */
function chartDirectory(file: string, index: TreeIndex): string | undefined {
  if (path.basename(file) === 'Chart.yaml') return path.dirname(file);
  const parts = file.split('/');
  const at = parts.lastIndexOf('templates');
  if (at < 0 || at === parts.length - 1) return undefined;
  const chart = parts.slice(0, at).join('/') || '.';
  return index.files.has(chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml`) ? chart : undefined;
}

/** The build-output declarations in the directories of the scanned files and above. */
function addDeclarers(work: Work): void {
  const listing = listingOf(work);
  const directories = new Set([...work.extracted, ...work.candidates].flatMap(ancestorDirectories));
  for (const directory of directories) {
    for (const file of listing.files.list(directory)) {
      const name = path.basename(file);
      const declares = SKAFFOLD.test(name) || tiltFinder.matches(file) || isComposePath(file);
      if (declares && !work.extracted.has(file)) work.declarers.add(file);
    }
  }
}

/** Extracts and fetches until no finder asks for a file that has not been read (bounded). */
async function settle(reader: FileReader, work: Work): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const misses = new Set<string>();
    for (const file of [...work.extracted, ...work.candidates, ...work.declarers])
      if (!work.texts.has(file)) misses.add(file);
    extractRound(work, misses);
    const todo = [...misses].filter((file) => !work.texts.has(file) && !work.unreadable.has(file));
    if (todo.length === 0) {
      work.isUnsettled = false;
      return;
    }
    work.isUnsettled = true;
    const index = work.input.index;
    const outcomes = await mapLimit(todo, READ_CONCURRENCY, (file) => reader.read(index, file, 'related'));
    todo.forEach((file, i) => {
      const outcome = outcomes[i];
      if (outcome === undefined || 'problem' in outcome) work.unreadable.add(file);
      else work.texts.set(file, outcome);
    });
  }
}

/** One extraction of every file of the search, recording what they read and where their images land. */
function extractRound(work: Work, misses: Set<string>): void {
  const listing = listingOf(work);
  const files = [...new Set([...work.extracted, ...work.candidates, ...work.declarers])];
  for (const file of files) {
    const text = work.texts.get(file);
    if (!text) continue;
    const reads = new Set<string>();
    const project = createView(listing, { reads, misses });
    const result = extractFile(file, text.content, contextFor(file, work.input.index, project));
    if (work.candidates.has(file)) work.reads.set(file, reads);
    else if (!work.extracted.has(file)) continue;
    // An image whose text lives in another file (a `.env`) is rewritten there: read it as the scan would.
    for (const occurrence of result.occurrences) {
      if (occurrence.file === file || work.extracted.has(occurrence.file)) continue;
      work.extracted.add(occurrence.file);
      if (!work.texts.has(occurrence.file)) misses.add(occurrence.file);
    }
  }
}

function readsChanged(work: Work, file: string): boolean {
  const reads = work.reads.get(file);
  return reads !== undefined && [...reads].some((read) => work.input.changed.has(read));
}

function finish(work: Work): SideContext {
  const listing = listingOf(work);
  const project = createView(listing);
  const index = work.input.index;
  const context = (file: string) => contextFor(file, index, project);
  const outputs = [...work.declarers].flatMap((file) => {
    const text = work.texts.get(file);
    return text ? (extractFile(file, text.content, context(file)).buildOutputs ?? []) : [];
  });
  return { index, texts: work.texts, project, outputs, contextFor: context };
}

function notesOf(reader: FileReader, works: Work[]): string[] {
  const notes: string[] = [];
  if (works.some((work) => work.input.index.isTruncated))
    notes.push(
      'GitHub cut the listing of this repository’s files, so related files were looked up by path and directory listings (the compose files beside a .env, a chart’s templates, build declarations) may be incomplete',
    );
  if (reader.skipped.length > 0) {
    const shown = reader.skipped.slice(0, 5).join(', ');
    const more = reader.skipped.length > 5 ? ` and ${reader.skipped.length - 5} more` : '';
    notes.push(
      `${reader.skipped.length} related file(s) were not read (a run reads at most ${reader.limits.maxFiles} related files, ${reader.limits.maxBytes} bytes in all): ${shown}${more}; images that depend on them may be missed or reported differently than ar-mirror scan reports them`,
    );
  }
  if (works.some((work) => work.isUnsettled))
    notes.push(
      `related files were still being found after ${MAX_ROUNDS} rounds; images that depend on the rest may be missed`,
    );
  return notes;
}
