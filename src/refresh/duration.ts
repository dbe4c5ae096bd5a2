/**
 * Minimum ages such as `7d`: how long a new upstream digest must have existed (by its config's
 * `created` time) before refresh takes it. Pure.
 */
import { ConfigError } from '../errors.js';

const UNITS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The longest minimum age accepted: a year. */
const MAX_MS = 366 * UNITS.d!;

/**
 * Parses `0`, `90m`, `12h`, `3d` or `2w` into milliseconds; errors name `where`. Default (empty): 0.
 */
export function parseDuration(value: unknown, where: string): number {
  if (value === undefined || value === null || value === '') return 0;
  const text = String(value).trim();
  if (text === '0') return 0;
  const match = /^(\d{1,6})([mhdw])$/.exec(text);
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : Number.NaN;
  if (!Number.isFinite(ms) || ms > MAX_MS) {
    throw new ConfigError(
      `${where} must be 0 or a whole number of m, h, d or w up to a year (e.g. 3d), got "${text.slice(0, 40)}"`,
    );
  }
  return ms;
}

/** `3d`, `12h`, `90m` or `0`, for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm']) {
    const size = UNITS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms === 0 ? '0' : `${Math.round(ms / 60_000)}m`;
}
