/**
 * The one way ar-mirror reads a file someone named (a path on the command line, a file found by
 * a walk, a file migrate re-reads before writing): only regular files, and never more than a cap.
 * A FIFO would block the open and then the read forever; a character device such as /dev/zero,
 * perhaps behind a symbolic link, never ends; a file that grows would outrun a size check made
 * before the open.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { errorMessage } from '../errors.js';

/** The bytes read, or why the file was not read (`severity` as a scan diagnostic takes it). */
export type RegularFileRead =
  | { bytes: Buffer }
  | { problem: string; severity: 'notice' | 'warning' | 'error' };

// O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
// O_NOCTTY: opening a terminal never makes it ours. Both are 0 where they do not exist (Windows).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Options of readRegularFile. */
export interface ReadOptions {
  /**
   * The caller has just seen `path` as a regular file, not a link (a directory walk's entry
   * type), which is what the check on the path before opening would find: it is skipped, and
   * the check on the opened descriptor stays. Default: false.
   */
  seenRegular?: boolean;
}

/**
 * Reads `path` (following symbolic links) when it is a regular file of at most `maxBytes`.
 * The type is checked on the path first, so a device is not even opened, and again with fstat
 * on the descriptor, which is what is read, so a swap between the two checks is caught. At most
 * `maxBytes + 1` bytes are ever read: a file that grew past the cap is refused, and files that
 * report no size (procfs) are read up to the cap.
 */
export function readRegularFile(path: string, maxBytes: number, options: ReadOptions = {}): RegularFileRead {
  let fd: number | undefined;
  try {
    const problem = options.seenRegular ? undefined : notRegular(statSync(path));
    if (problem) return { problem, severity: 'warning' };
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd);
    const swapped = notRegular(stats);
    if (swapped) return { problem: swapped, severity: 'warning' };
    if (stats.size > maxBytes) return tooLarge(`${stats.size} bytes is`, maxBytes);
    const bytes = readAtMost(fd, maxBytes + 1, stats.size);
    return bytes.length > maxBytes ? tooLarge('it is', maxBytes) : { bytes };
  } catch (err: unknown) {
    return { problem: `cannot read: ${errorMessage(err)}`, severity: 'error' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  const kind = stats.isFIFO()
    ? 'a named pipe (FIFO)'
    : stats.isCharacterDevice()
      ? 'a character device'
      : stats.isBlockDevice()
        ? 'a block device'
        : stats.isSocket()
          ? 'a socket'
          : stats.isDirectory()
            ? 'a directory'
            : 'not a regular file';
  return `skipped: ${kind}; only regular files are read`;
}

function tooLarge(what: string, maxBytes: number): RegularFileRead {
  return { problem: `skipped: ${what} over the ${maxBytes}-byte limit`, severity: 'warning' };
}

// Later reads (the end-of-file check, files that report no size) go through this one buffer, so
// confirming the end of an ordinary file allocates nothing.
const SCRATCH = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads until end of file or `limit` bytes, whichever comes first. The first read asks for the
 * size fstat gave plus one byte: an ordinary file gives exactly its size, which is its end (a
 * regular file's read comes back short only there), so it takes that one read. A file that grew
 * fills the extra byte and is read on; one that gave less than its size is read on to its end.
 */
function readAtMost(fd: number, limit: number, sizeHint: number): Buffer {
  const first = Buffer.allocUnsafe(Math.min(limit, sizeHint > 0 ? sizeHint + 1 : SCRATCH.length));
  let total = readSync(fd, first, 0, first.length, null);
  if (sizeHint > 0 && total === sizeHint) return first.subarray(0, total);
  const chunks = [first.subarray(0, total)];
  while (total > 0 && total < limit) {
    const count = readSync(fd, SCRATCH, 0, Math.min(SCRATCH.length, limit - total), null);
    if (count === 0) break;
    chunks.push(Buffer.from(SCRATCH.subarray(0, count)));
    total += count;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}
