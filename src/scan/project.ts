/**
 * What a scan knows across files: read access to every file it read (compose `.env` and build
 * args, Helm's `Chart.yaml` and templates need another file's text), the build outputs the
 * repository declares, and the de-duplication of what several finders report at one place.
 * Pure: the files are handed in.
 */
import path from 'node:path/posix';
import { formatReference, repositoryName } from '../reference/index.js';
import type { BuildOutput, Diagnostic, ImageOccurrence, ProjectFiles } from './types.js';
import { quote } from './yaml/scan.js';

/** Read access to the given files by their scan paths; `envFiles` as `--compose-env-file` gives them. */
export function createProjectFiles(
  files: readonly { file: string; content: string }[],
  envFiles?: readonly string[],
): ProjectFiles {
  const byPath = new Map<string, string>();
  const byDirectory = new Map<string, string[]>();
  for (const { file, content } of files) {
    byPath.set(file, content);
    const slash = file.lastIndexOf('/');
    const directory = slash < 0 ? '.' : file.slice(0, slash);
    const listed = byDirectory.get(directory) ?? [];
    listed.push(file);
    byDirectory.set(directory, listed);
  }
  // Sorted when first asked for: most scans list few directories, and many never list them all.
  const sorted = new Set<string[]>();
  let all: string[] | undefined;
  const project: ProjectFiles = {
    read: (file) => byPath.get(file) ?? (isNormal(file) ? undefined : byPath.get(path.normalize(file))),
    list: (directory) => {
      const listed = byDirectory.get(path.normalize(directory));
      if (!listed) return [];
      if (!sorted.has(listed)) {
        listed.sort();
        sorted.add(listed);
      }
      return listed;
    },
    listUnder: (directory) => {
      all ??= [...byPath.keys()].sort();
      const normalized = path.normalize(directory);
      if (normalized === '.') return all;
      const prefix = `${normalized}/`;
      // `all` is sorted, so the paths under a directory are one run starting at the first >= prefix.
      let low = 0;
      let high = all.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (all[mid]! < prefix) low = mid + 1;
        else high = mid;
      }
      let end = low;
      while (end < all.length && all[end]!.startsWith(prefix)) end++;
      return all.slice(low, end);
    },
  };
  if (envFiles?.length) project.envFiles = envFiles.map((file) => path.normalize(file));
  return project;
}

/** True for a path `path.normalize` leaves as it is (no `.` or `..` segments, no doubled or trailing `/`). */
function isNormal(file: string): boolean {
  return !/(?:^|\/)\.\.?(?:\/|$)|\/\/|\/$/.test(file);
}

/** The occurrences left to mirror, and a notice for each one that names a build output. */
export interface Separated {
  occurrences: ImageOccurrence[];
  notices: Diagnostic[];
}

/**
 * Moves every occurrence that names a declared build output (same registry and repository, the
 * same tag when the output has one, within the output's scope) out of the references, into a
 * notice that says who builds it.
 */
export function separateBuildOutputs(
  occurrences: readonly ImageOccurrence[],
  outputs: readonly BuildOutput[],
): Separated {
  if (outputs.length === 0) return { occurrences: [...occurrences], notices: [] };
  const byName = new Map<string, BuildOutput[]>();
  for (const output of outputs) {
    const same = byName.get(output.name);
    if (same) same.push(output);
    else byName.set(output.name, [output]);
  }
  const result: Separated = { occurrences: [], notices: [] };
  for (const occurrence of occurrences) {
    const tag = occurrence.reference.tag ?? 'latest';
    const output = byName
      .get(repositoryName(occurrence.reference))
      ?.find((o) => covers(o, occurrence.file) && (o.tag === undefined || o.tag === tag));
    if (!output) {
      result.occurrences.push(occurrence);
      continue;
    }
    result.notices.push({
      file: occurrence.file,
      line: occurrence.start.line,
      severity: 'notice',
      message: `image ${quote(occurrence.raw)} is built by this repository (${output.via}, ${output.file}:${output.line}), which puts its own build in its place; not mirrored`,
    });
  }
  return result;
}

function covers(output: BuildOutput, file: string): boolean {
  if (output.scope === 'file') return output.file === file;
  const directory = path.dirname(output.file);
  return directory === '.' || file.startsWith(`${directory}/`);
}

/**
 * The occurrences without repeats: one place (file and span) naming one image is one reference,
 * however many finders or uses reached it (a `.env` value used by two compose files, a compose
 * file and the `.env` finder itself). The first one found is kept. `only`, when given, limits the
 * search to occurrences in those files (the others cannot repeat). Default: every file.
 */
export function uniqueOccurrences(
  occurrences: readonly ImageOccurrence[],
  only?: ReadonlySet<string>,
): ImageOccurrence[] {
  if (only?.size === 0) return [...occurrences];
  const seen = new Set<string>();
  return occurrences.filter((occurrence) => {
    if (only && !only.has(occurrence.file)) return true;
    const { start, end } = occurrence;
    const key = `${occurrence.file}\n${start.line}:${start.column}-${end.line}:${end.column}\n${formatReference(occurrence.reference)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
