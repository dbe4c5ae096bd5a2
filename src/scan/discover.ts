/**
 * Walks the paths given to `scan`/`migrate` and reads the files some finder wants, guarding
 * against what a repository can throw at us: huge or binary files, invalid UTF-8, symlinks that
 * lead outside the scanned root, unreadable entries. Every problem becomes a diagnostic naming
 * the file; nothing here throws for a single bad file.
 */
import { type Dirent, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errors.js';
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

/** Finds and reads the wanted files under each root (a directory or a single file). */
export function discoverFiles(roots: readonly string[], options: DiscoverOptions): Discovery {
  const cwd = options.cwd ?? process.cwd();
  const result: Discovery = { files: [], diagnostics: [] };
  for (const root of roots) {
    const absoluteRoot = path.resolve(cwd, root);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(absoluteRoot);
    } catch (err) {
      result.diagnostics.push(fileProblem(relative(cwd, absoluteRoot), `cannot read: ${errorMessage(err)}`));
      continue;
    }
    if (stat.isDirectory()) {
      walk(absoluteRoot, realpathSync(absoluteRoot), { ...options, cwd }, result);
    } else {
      // A file named explicitly is read even when no finder's pattern matches its name.
      readOne(absoluteRoot, new Set([path.basename(absoluteRoot)]), { ...options, cwd }, result);
    }
  }
  return result;
}

function walk(
  directory: string,
  realRoot: string,
  options: Required<Pick<DiscoverOptions, 'cwd'>> & DiscoverOptions,
  result: Discovery,
): void {
  // An explicit stack, not recursion: a hostile tree can be deeper than the call stack.
  const stack = [directory];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      result.diagnostics.push(
        fileProblem(relative(options.cwd, current), `cannot list directory: ${errorMessage(err)}`),
      );
      continue;
    }
    const names = new Set(entries.map((entry) => entry.name));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const absolute = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) stack.push(absolute);
      } else if (entry.isFile()) {
        if (options.wanted(relative(options.cwd, absolute))) readOne(absolute, names, options, result);
      } else if (entry.isSymbolicLink() && options.wanted(relative(options.cwd, absolute))) {
        reportLink(absolute, realRoot, options.cwd, result);
      }
    }
  }
}

/**
 * Symbolic links are never followed: a link inside the tree is a second name for a file that is
 * scanned in place (and rewriting through it would replace the link with a file), and a link
 * leading outside must not make us read, or later write, files beyond the scanned root.
 */
function reportLink(link: string, realRoot: string, cwd: string, result: Discovery): void {
  const file = relative(cwd, link);
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    result.diagnostics.push(fileProblem(file, 'skipped: broken symbolic link', 'notice'));
    return;
  }
  const inside = target === realRoot || target.startsWith(realRoot + path.sep);
  result.diagnostics.push(
    inside
      ? fileProblem(file, 'skipped: symbolic link (its target is scanned where it lives)', 'notice')
      : fileProblem(file, 'skipped: symbolic link points outside the scanned directory', 'warning'),
  );
}

function readOne(
  absolutePath: string,
  siblings: Set<string>,
  options: Required<Pick<DiscoverOptions, 'cwd'>> & DiscoverOptions,
  result: Discovery,
): void {
  const file = relative(options.cwd, absolutePath);
  const decoded = readText(absolutePath, options.maxBytes ?? MAX_FILE_BYTES);
  if ('problem' in decoded) {
    result.diagnostics.push(fileProblem(file, decoded.problem, decoded.severity));
    return;
  }
  result.files.push({ file, absolutePath, ...decoded, hasSibling: (name) => siblings.has(name) });
}

type Decoded = { content: string; bom: boolean } | { problem: string; severity: Diagnostic['severity'] };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a file as UTF-8 text, refusing what is too large, binary or not UTF-8. */
export function readText(absolutePath: string, maxBytes: number): Decoded {
  let bytes: Buffer;
  try {
    const size = statSync(absolutePath).size;
    if (size > maxBytes)
      return { problem: `skipped: ${size} bytes is over the ${maxBytes}-byte limit`, severity: 'warning' };
    bytes = readFileSync(absolutePath);
  } catch (err) {
    return { problem: `cannot read: ${errorMessage(err)}`, severity: 'error' };
  }
  return decodeText(bytes);
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
