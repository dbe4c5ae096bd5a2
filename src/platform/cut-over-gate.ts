/**
 * The guide's step 7 as a gate (pure): after the cut-over every pull must name a first-party
 * registry (the mirror). It vouches only for what it read. Sources are read newest first, so a
 * bound (--max-entries) drops only the oldest entries: a source cut short fails it when its
 * oldest entry read is not before `after` (the entries it did not read may be third-party pulls
 * of the window), and passes, still named as cut short, when its read reached back past `after`.
 * A window without a single pull passes with that said, never as proof that the pulls moved.
 */
import type { PullEvent } from './pull-events.js';
import { type GateViolation, thirdPartyAfter } from './pull-report.js';
import { formatTime } from './time.js';

/** The gate's verdict. */
export interface CutOverGate {
  /** Start of the gate window (RFC 3339). */
  after: string;
  /** Pulls of any registry at or after `after`: 0 means there was nothing to judge. */
  pulls: number;
  /** Third-party images pulled at or after `after`, most pulls first. */
  violations: GateViolation[];
  /** Sources whose read stopped at a bound (--max-entries), whether or not before `after`. */
  truncated: string[];
  /** The truncated sources whose read did not reach back past `after`: each fails the gate. */
  incomplete: string[];
  /** True when nothing broke the rule and every source was read back past `after`. */
  passed: boolean;
}

/** A source cut short, and the oldest time it read (ms; undefined when it read no time at all). */
export interface TruncatedRead {
  source: string;
  oldest: number | undefined;
}

/**
 * Whether a read cut short, newest first, still holds every entry at or after `after`: only when
 * it read an entry from before `after` (entries at the oldest time read may have been cut).
 */
export function readCovers(read: TruncatedRead, after: number): boolean {
  return read.oldest !== undefined && read.oldest < after;
}

/** Judges `events` from `after` on (see the module comment). */
export function cutOverGate(
  events: readonly PullEvent[],
  after: number,
  options: { firstParty: readonly string[]; truncated: readonly TruncatedRead[] },
): CutOverGate {
  const violations = thirdPartyAfter(events, after, options.firstParty);
  let pulls = 0;
  for (const event of events) if (event.last >= after) pulls += event.count;
  const incomplete = options.truncated.filter((read) => !readCovers(read, after)).map((read) => read.source);
  return {
    after: formatTime(after),
    pulls,
    violations,
    truncated: options.truncated.map((read) => read.source),
    incomplete,
    passed: violations.length === 0 && incomplete.length === 0,
  };
}
