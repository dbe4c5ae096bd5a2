/**
 * The scanner's project model (`ProjectFiles`) for one commit of a pull request, built from the
 * tree listing and the texts read so far. It lists what a scan of the checkout would list (the
 * scanned paths of the listing) and reads what has been fetched. A read of a listed path that has
 * not been fetched yet is recorded as a miss, so the caller can fetch exactly the files the
 * finders asked for and extract again: the finders' own rules decide which files are related, and
 * nothing here re-implements them. Pure.
 */
import path from 'node:path/posix';
import { createProjectFiles } from '../scan/project.js';
import type { FinderContext, ProjectFiles } from '../scan/types.js';
import type { TreeIndex } from './tree-index.js';

/** What the views of one commit share. */
export interface ViewState {
  index: TreeIndex;
  /** Texts fetched so far, by path. */
  texts: ReadonlyMap<string, string>;
  /** Listed paths that cannot be read (not text, or left out by a bound): a scan would not list them either. */
  unreadable: ReadonlySet<string>;
  /** Which paths a scan reads (scanFilter): only those are looked up by path when the listing was cut. */
  wanted(file: string): boolean;
}

/** The listing part of a view, built once per state (it sorts every scanned path). */
export interface Listing {
  state: ViewState;
  files: ProjectFiles;
}

/** Lists the scanned paths of the state's index that can be read. */
export function createListing(state: ViewState): Listing {
  const paths = state.index.scanned.filter((file) => !state.unreadable.has(file));
  // Files found by path because the listing was cut are listed too, as a scan would list them.
  const listed = new Set(paths);
  for (const file of state.texts.keys()) if (!listed.has(file)) paths.push(file);
  return { state, files: createProjectFiles(paths.map((file) => ({ file, content: '' }))) };
}

/** Where a view reports the paths it was asked for. */
export interface ViewRecorder {
  /** Every path read through the view (normalised). */
  reads?: Set<string>;
  /** Paths read that may exist but have no text yet: listed ones, or any path when the listing was cut. */
  misses?: Set<string>;
}

/**
 * A `ProjectFiles` over a listing. Make one per extraction when its reads matter: the scanner
 * caches what it derives from a project (a chart's `Chart.yaml`, its templates) per object.
 */
export function createView(listing: Listing, recorder: ViewRecorder = {}): ProjectFiles {
  const { texts, index, unreadable } = listing.state;
  return {
    read(file) {
      const normalized = path.normalize(file);
      recorder.reads?.add(normalized);
      const text = texts.get(normalized);
      if (text !== undefined || unreadable.has(normalized)) return text;
      const mayExist = index.isTruncated
        ? isInside(normalized) && listing.state.wanted(normalized)
        : listing.files.list(path.dirname(normalized)).includes(normalized);
      if (mayExist) recorder.misses?.add(normalized);
      return undefined;
    },
    list: (directory) => listing.files.list(directory),
    listUnder: (directory) => listing.files.listUnder(directory),
  };
}

/** The finder context of a file: its commit's view, and the regular files beside it. */
export function contextFor(file: string, index: TreeIndex, project: ProjectFiles): FinderContext {
  const directory = path.dirname(file);
  return {
    hasSibling: (name) => index.files.has(directory === '.' ? name : `${directory}/${name}`),
    project,
  };
}

/** True for a relative path that stays inside the repository. */
function isInside(file: string): boolean {
  return file !== '..' && !file.startsWith('../') && !file.startsWith('/');
}
