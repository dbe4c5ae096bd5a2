/** Times and durations given on the command line or found in log entries, validated. */
import { ConfigError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
// Logs are kept 400 days at most; a longer window is a typo.
const MAX_DURATION_MS = 400 * 86_400_000;

/** Parses `30m`, `12h`, `7d`, `2w` into milliseconds; `where` names the flag in errors. */
export function parseDuration(text: string, where: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (!match)
    throw new ConfigError(
      `${where}: expected a duration like 30m, 12h, 7d or 2w, got "${text.slice(0, 50)}"`,
    );
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  if (ms <= 0 || ms > MAX_DURATION_MS) throw new ConfigError(`${where}: ${text} is outside 1m…400d`);
  return ms;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when it is not one. */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const match = RFC3339.exec(value);
  if (!match) return undefined;
  // Logging writes nanoseconds; Date.parse is only sure to read milliseconds.
  const fraction = (match[3] ?? '').slice(0, 4);
  const ms = Date.parse(`${match[1]}T${match[2]}${fraction}${match[4]!.toUpperCase()}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Parses `--after`: an RFC 3339 time or a duration before `now` (`2h` = two hours ago). */
export function parseTimeFlag(text: string, where: string, now: number): number {
  const at = parseTimestamp(text.trim());
  if (at !== undefined) return at;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) {
    const day = Date.parse(`${text.trim()}T00:00:00Z`);
    if (Number.isFinite(day)) return day;
  }
  try {
    return now - parseDuration(text, where);
  } catch {
    throw new ConfigError(
      `${where}: expected an RFC 3339 time (2024-05-01T12:00:00Z), a date or a duration (12h), got "${text.slice(0, 50)}"`,
    );
  }
}

/** `2024-05-01T12:00:00Z`: ISO 8601 without milliseconds, for tables. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
