/**
 * Walks the paths given to `scan`/`migrate` and reads the files some finder wants, guarding
 * against what a repository can throw at us: huge or binary files, invalid UTF-8, symlinks that
 * lead outside the scanned root, unreadable entries. Every problem becomes a diagnostic naming
 * the file; nothing here throws for a single bad file.
 */
import { type Dirent, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { readRegularFile } from '../util/read-regular-file.js';
import type { Diagnostic } from './types.js';

/** Directories never descended into: VCS metadata and dependency trees are not the project's manifests. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Files larger than this are skipped with a diagnostic. Default: 5 MiB. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** One file read for scanning. */
export interface SourceFile {
  /** Path relative to the working directory, `/`-separated. */
  file: string;
  /** Absolute path on disk. */
  absolutePath: string;
  /** The text, decoded as UTF-8, without a byte-order mark. */
  content: string;
  /** True when the file started with a UTF-8 byte-order mark (a rewrite writes it back). */
  bom: boolean;
  /** True when a file of this name sits in the same directory. */
  hasSibling(name: string): boolean;
}

export interface DiscoverOptions {
  /** Directory that reported paths are relative to. Default: process.cwd(). */
  cwd?: string;
  /** Which relative paths to read at all (the finders' `matches`, plus include/exclude globs). */
  wanted(file: string): boolean;
  /** Size cap in bytes. Default: MAX_FILE_BYTES. */
  maxBytes?: number;
}

export interface Discovery {
  files: SourceFile[];
  diagnostics: Diagnostic[];
}

/** A wanted file found by the walk, not read yet. */
interface ListedFile {
  /** Path relative to the working directory, `/`-separated. */
  file: string;
  /** Absolute path on disk. */
  absolutePath: string;
  /** Names of the entries in the file's directory (shared by the files of one directory). */
  siblings: ReadonlySet<string>;
  /** True when the walk saw the entry as a regular file (not a file named on the command line). */
  walked?: boolean;
}

/** What the walk yields, in walk order: a file to read, or a problem found without reading. */
type ListedEntry = ListedFile | { problem: Diagnostic };

/** Finds and reads the wanted files under each root (a directory or a single file). */
export function discoverFiles(roots: readonly string[], options: DiscoverOptions): Discovery {
  const result: Discovery = { files: [], diagnostics: [] };
  const maxBytes = options.maxBytes ?? MAX_FILE_BYTES;
  for (const entry of listFiles(roots, options)) {
    const read = 'problem' in entry ? entry.problem : readListedFile(entry, maxBytes);
    if ('message' in read) result.diagnostics.push(read);
    else result.files.push(read);
  }
  return result;
}

/**
 * Walks the roots without reading any file: the wanted files and the problems met (unreadable
 * roots and directories, symbolic links), in the order discoverFiles reports them. Walking first
 * and reading after measured faster than interleaving the two (docs/benchmarks.md, scan).
 */
function listFiles(roots: readonly string[], options: DiscoverOptions): ListedEntry[] {
  const cwd = options.cwd ?? process.cwd();
  const entries: ListedEntry[] = [];
  for (const root of roots) {
    const absoluteRoot = path.resolve(cwd, root);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(absoluteRoot);
    } catch (err) {
      entries.push({
        problem: fileProblem(relative(cwd, absoluteRoot), `cannot read: ${errorMessage(err)}`),
      });
      continue;
    }
    if (stat.isDirectory()) {
      walk(absoluteRoot, { ...options, cwd }, entries);
    } else {
      // A file named explicitly is read even when no finder's pattern matches its name.
      const siblings = new Set([path.basename(absoluteRoot)]);
      entries.push({ file: relative(cwd, absoluteRoot), absolutePath: absoluteRoot, siblings });
    }
  }
  return entries;
}

/** Reads one listed file; a file that cannot be scanned gives the diagnostic saying why. */
function readListedFile(listed: ListedFile, maxBytes = MAX_FILE_BYTES): SourceFile | Diagnostic {
  const { file, absolutePath, siblings } = listed;
  const decoded = readText(absolutePath, maxBytes, listed.walked === true);
  if ('problem' in decoded) return fileProblem(file, decoded.problem, decoded.severity);
  return { file, absolutePath, ...decoded, hasSibling: (name) => siblings.has(name) };
}

function walk(
  directory: string,
  options: Required<Pick<DiscoverOptions, 'cwd'>> & DiscoverOptions,
  entries: ListedEntry[],
): void {
  const realRoot = realpathSync(directory);
  // An explicit stack, not recursion: a hostile tree can be deeper than the call stack.
  const stack: [absolute: string, prefix: string | null][] = [
    [directory, relativePrefix(options.cwd, directory)],
  ];
  while (stack.length > 0) {
    const [current, prefix] = stack.pop()!;
    let dirents: Dirent[];
    try {
      dirents = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      const where = relative(options.cwd, current);
      entries.push({ problem: fileProblem(where, `cannot list directory: ${errorMessage(err)}`) });
      continue;
    }
    const names = new Set<string>();
    for (const dirent of dirents) names.add(dirent.name);
    dirents.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const dirent of dirents) {
      const { name } = dirent;
      const absolutePath = current.endsWith(path.sep) ? current + name : current + path.sep + name;
      if (dirent.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name))
          stack.push([absolutePath, prefix === null ? null : `${prefix}${name}/`]);
        continue;
      }
      if (!dirent.isFile() && !dirent.isSymbolicLink()) continue;
      const file = prefix === null ? relative(options.cwd, absolutePath) : prefix + name;
      if (!options.wanted(file)) continue;
      entries.push(
        dirent.isFile()
          ? { file, absolutePath, siblings: names, walked: true }
          : { problem: linkProblem(file, absolutePath, realRoot) },
      );
    }
  }
}

/**
 * What to put in front of an entry's name to get its path relative to `cwd`, so the walk builds
 * paths by appending names instead of calling path.relative for every file it meets. Null when
 * `cwd` lies inside `directory` (`scan ..`): there the relative path of a file under `cwd` climbs
 * out and back in, which only path.relative gets right.
 */
function relativePrefix(cwd: string, directory: string): string | null {
  const rel = path.relative(cwd, directory);
  if (rel === '') return '';
  if (rel.split(path.sep).every((segment) => segment === '..')) return null;
  return `${rel.split(path.sep).join('/')}/`;
}

/**
 * Symbolic links are never followed: a link inside the tree is a second name for a file that is
 * scanned in place (and rewriting through it would replace the link with a file), and a link
 * leading outside must not make us read, or later write, files beyond the scanned root.
 */
function linkProblem(file: string, link: string, realRoot: string): Diagnostic {
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    return fileProblem(file, 'skipped: broken symbolic link', 'notice');
  }
  const inside = target === realRoot || target.startsWith(realRoot + path.sep);
  return inside
    ? fileProblem(file, 'skipped: symbolic link (its target is scanned where it lives)', 'notice')
    : fileProblem(file, 'skipped: symbolic link points outside the scanned directory', 'warning');
}

type Decoded = { content: string; bom: boolean } | { problem: string; severity: Diagnostic['severity'] };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a file as UTF-8 text, refusing what is not a regular file (FIFOs, devices, perhaps named
 * through a link), too large, binary or not UTF-8. `walked`: a directory walk has just seen the
 * path as a regular file (readRegularFile's `seenRegular`). Default: false.
 */
export function readText(absolutePath: string, maxBytes: number, walked = false): Decoded {
  const read = readRegularFile(absolutePath, maxBytes, { seenRegular: walked });
  return 'problem' in read ? read : decodeText(read.bytes);
}

/** Decodes bytes as UTF-8 text; binary content (a NUL byte) and invalid UTF-8 are refused. */
export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.subarray(0, 8192).includes(0)) return { problem: 'skipped: binary file', severity: 'notice' };
  let content: string;
  try {
    content = utf8.decode(bytes);
  } catch {
    return { problem: 'skipped: not valid UTF-8 text', severity: 'warning' };
  }
  const bom = content.charCodeAt(0) === 0xfeff;
  return { content: bom ? content.slice(1) : content, bom };
}

function fileProblem(file: string, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { file, line: 0, severity, message };
}

/** A path relative to `cwd` with `/` separators, as every report shows it. */
export function relative(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute) || path.basename(absolute);
  return rel.split(path.sep).join('/');
}
