/**
 * How `migrate` puts a rewritten file on disk: never through a symbolic link, never over edits
 * made while it ran, and never half-written.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs';
import { errorMessage } from '../errors.js';
import type { RewriteOutcome } from '../mirror/rewrite-files.js';
import type { SourceFile } from '../scan/discover.js';
import type { ScanResult } from '../scan/scan.js';
import { readRegularFile } from '../util/read-regular-file.js';

/**
 * Writes through a temporary file and a rename, so an interrupted run never leaves half a file.
 * The new file keeps the old one's mode and, where the process may set them, owner and group.
 * The temporary name has a random part and is created exclusively (`wx`), so a link planted at
 * that name is never followed. A path that is now a symbolic link is refused: the rename would
 * replace the link with a file. Returns why the file was left alone, or undefined once written.
 * `suffix` is the random part of the temporary name. Default: 16 random hex digits.
 */
export function writeAtomically(
  file: SourceFile,
  content: string,
  suffix = randomBytes(8).toString('hex'),
): string | undefined {
  const bom = file.bom ? '\uFEFF' : '';
  let stats: Stats;
  try {
    stats = lstatSync(file.absolutePath);
    if (stats.isSymbolicLink()) return 'it is a symbolic link; rewrite its target';
  } catch (err) {
    return `cannot read it again before writing: ${errorMessage(err)}`;
  }
  // The same guarded read as the scan: a FIFO or device swapped in since must not hang us.
  const expected = Buffer.from(bom + file.content, 'utf8');
  const again = readRegularFile(file.absolutePath, expected.length);
  if ('problem' in again && again.severity === 'error')
    return `cannot read it again before writing: ${again.problem.replace(/^cannot read: /, '')}`;
  if ('problem' in again || !again.bytes.equals(expected))
    return 'the file changed on disk while ar-mirror ran';
  const mode = stats.mode & 0o7777;
  const temporary = `${file.absolutePath}.ar-mirror-${suffix}.tmp`;
  let created = false;
  try {
    // Everything goes through the descriptor `wx` created, so swapping the temporary name for a
    // link afterwards cannot redirect the write or the chmod (the umask may have narrowed `mode`).
    const fd = openSync(temporary, 'wx', mode);
    created = true;
    try {
      const bytes = Buffer.from(bom + content, 'utf8');
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      keepOwner(fd, stats);
      // After the chown, which clears set-user-ID and set-group-ID bits.
      fchmodSync(fd, mode);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file.absolutePath);
  } catch (err) {
    // Only our own file is removed: after EEXIST the name belongs to someone else.
    if (created) rmSync(temporary, { force: true });
    return `cannot write it: ${errorMessage(err)}`;
  }
  return undefined;
}

/**
 * Gives the temporary file the original's owner and group, as far as the process may: root may
 * set both; the owner may set the group only to one of its own (otherwise the file takes the
 * owner's group, as any editor's save would). Anyone else cannot change owners: the file becomes
 * theirs, as with any editor. `getuid` is absent on Windows, where there is nothing to keep.
 */
function keepOwner(fd: number, original: Stats): void {
  const uid = process.getuid?.();
  if (uid === undefined || (uid !== 0 && uid !== original.uid)) return;
  // Compared with the new file, not our ids: in a set-group-ID directory it takes the directory's group.
  const created = fstatSync(fd);
  if (created.uid === original.uid && created.gid === original.gid) return;
  try {
    fchownSync(fd, original.uid, original.gid);
  } catch (err) {
    if (uid === 0) throw err;
  }
}

/**
 * Drops the files that are symbolic links (a root given by name is read through its link) with
 * their occurrences, and says so: rewriting one would replace the link with a regular file, and
 * copying images whose references cannot be rewritten is not what migrate is for.
 */
export function dropSymbolicLinks(scan: ScanResult): ScanResult {
  const links = new Set(scan.files.filter((f) => isSymbolicLink(f.absolutePath)).map((f) => f.file));
  if (links.size === 0) return scan;
  return {
    files: scan.files.filter((f) => !links.has(f.file)),
    occurrences: scan.occurrences.filter((o) => !links.has(o.file)),
    diagnostics: [
      ...scan.diagnostics,
      ...[...links].map((file) => ({
        file,
        line: 0,
        severity: 'warning' as const,
        message: 'skipped: symbolic link; migrate does not rewrite through links (name its target instead)',
      })),
    ],
  };
}

function isSymbolicLink(absolutePath: string): boolean {
  try {
    return lstatSync(absolutePath).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Writes each verified change; a file that cannot be written moves to the failures. */
export function writeChanges(
  rewrite: RewriteOutcome,
  byFile: ReadonlyMap<string, SourceFile>,
): RewriteOutcome {
  const outcome: RewriteOutcome = { changes: [], failures: [...rewrite.failures] };
  for (const change of rewrite.changes) {
    const problem = writeAtomically(byFile.get(change.file)!, change.content);
    if (problem === undefined) outcome.changes.push(change);
    else outcome.failures.push({ file: change.file, reason: `${change.file}: ${problem}` });
  }
  return outcome;
}
