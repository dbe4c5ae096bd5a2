import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/util/read-regular-file.ts
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from "node:fs";
var OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
function readRegularFile(path, maxBytes, options = {}) {
  let fd;
  try {
    const problem = options.seenRegular ? void 0 : notRegular(statSync(path));
    if (problem) return { problem, severity: "warning" };
    fd = openSync(path, OPEN_FLAGS);
    const stats = fstatSync(fd);
    const swapped = notRegular(stats);
    if (swapped) return { problem: swapped, severity: "warning" };
    if (stats.size > maxBytes) return tooLarge(`${stats.size} bytes is`, maxBytes);
    const bytes = readAtMost(fd, maxBytes + 1, stats.size);
    return bytes.length > maxBytes ? tooLarge("it is", maxBytes) : { bytes };
  } catch (err) {
    return { problem: `cannot read: ${errorMessage(err)}`, severity: "error" };
  } finally {
    if (fd !== void 0) closeSync(fd);
  }
}
function notRegular(stats) {
  if (stats.isFile()) return void 0;
  const kind = stats.isFIFO() ? "a named pipe (FIFO)" : stats.isCharacterDevice() ? "a character device" : stats.isBlockDevice() ? "a block device" : stats.isSocket() ? "a socket" : stats.isDirectory() ? "a directory" : "not a regular file";
  return `skipped: ${kind}; only regular files are read`;
}
function tooLarge(what, maxBytes) {
  return { problem: `skipped: ${what} over the ${maxBytes}-byte limit`, severity: "warning" };
}
var SCRATCH = Buffer.allocUnsafe(64 * 1024);
function readAtMost(fd, limit, sizeHint) {
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
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

export {
  readRegularFile
};
