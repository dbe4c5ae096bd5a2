/**
 * Reads the list of `copy --from-file`: pure text in, entries out. Accepted shapes:
 *
 * - text: one `SOURCE [DESTINATION]` per line, separated by spaces or tabs; blank lines and
 *   `#` comments (whole-line, or after a space) are skipped;
 * - the JSON of `scan --json` (`{"references": [{"image": …, "thirdParty": …}]}`: first-party
 *   references are skipped) and of `migrate --dry-run --json` (`{"copies": [{"source", "destination"}]}`);
 * - a JSON array (or an object holding one under `references`, `images`, `pulls` or `copies`)
 *   of image strings or of objects naming the image as `source`, `image` or `canonical`
 *   (first present wins), with an optional `destination`, as `pulls --json` prints.
 *
 * Everything in the file is untrusted: sizes are capped and every field is checked to be a
 * string before use; the references themselves are parsed by the caller.
 */
import { UsageError } from './io.js';

/** One image to copy, with the line (text) or array index (JSON, 1-based) it came from. */
export interface ListEntry {
  source: string;
  /** The destination as written in the file; undefined when the caller maps it from `--to`. */
  destination: string | undefined;
  /** `FILE:LINE` or `FILE[#N]`, for messages. */
  where: string;
}

/** The most entries one list may hold. */
export const MAX_LIST_ENTRIES = 100_000;
/** The longest field accepted (a reference is far shorter; anything longer is not one). */
const MAX_FIELD_LENGTH = 2048;
const ARRAY_KEYS = ['references', 'images', 'pulls', 'copies'] as const;

/** Parses a list file's text; errors are UsageErrors naming the file and line or entry. */
export function parseCopyList(text: string, fileName: string): ListEntry[] {
  const body = text.replace(/^\uFEFF/, '');
  const entries = /^\s*[[{]/.test(body) ? parseJsonList(body, fileName) : parseTextList(body, fileName);
  if (entries.length > MAX_LIST_ENTRIES) {
    throw new UsageError(
      `${fileName}: ${entries.length} images; at most ${MAX_LIST_ENTRIES} per list (split it)`,
    );
  }
  return entries;
}

function parseTextList(text: string, fileName: string): ListEntry[] {
  const entries: ListEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length && entries.length <= MAX_LIST_ENTRIES; index++) {
    const where = `${fileName}:${index + 1}`;
    const content = lines[index]!.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    const fields = content.split(/\s+/);
    if (fields.length > 2) {
      throw new UsageError(`${where}: expected SOURCE [DESTINATION], got ${fields.length} fields`);
    }
    entries.push({ source: field(fields[0], where), destination: optional(fields[1], where), where });
  }
  return entries;
}

function parseJsonList(text: string, fileName: string): ListEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${fileName}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const items = arrayOf(value);
  if (items === undefined) {
    throw new UsageError(
      `${fileName}: expected a JSON array of images, or an object with a "${ARRAY_KEYS.join('", "')}" array`,
    );
  }
  const entries: ListEntry[] = [];
  for (let index = 0; index < items.length && entries.length <= MAX_LIST_ENTRIES; index++) {
    const entry = jsonEntry(items[index], `${fileName}[${index + 1}]`);
    if (entry) entries.push(entry);
  }
  return entries;
}

function arrayOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of ARRAY_KEYS) {
    const candidate: unknown = (value as Record<string, unknown>)[key];
    if (Array.isArray(candidate)) return candidate;
  }
  return undefined;
}

/** One JSON item; undefined for a first-party reference of `scan --json`, which needs no copy. */
function jsonEntry(item: unknown, where: string): ListEntry | undefined {
  if (typeof item === 'string') return { source: field(item, where), destination: undefined, where };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new UsageError(`${where}: expected an image string or an object with "source" or "image"`);
  }
  const record = item as Record<string, unknown>;
  if (record.thirdParty === false) return undefined;
  const name = ['source', 'image', 'canonical'].find(
    (key) => record[key] !== undefined && record[key] !== null,
  );
  if (name === undefined) throw new UsageError(`${where}: no "source", "image" or "canonical" field`);
  return {
    source: field(record[name], `${where}.${name}`),
    destination: optional(record.destination, where),
    where,
  };
}

function field(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(`${where}: expected an image reference`);
  if (value.length > MAX_FIELD_LENGTH)
    throw new UsageError(`${where}: longer than ${MAX_FIELD_LENGTH} characters`);
  return value.trim();
}

function optional(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : field(value, `${where} destination`);
}
