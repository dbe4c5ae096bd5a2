/**
 * The guide's step 7 as a gate (pure): after the cut-over every pull must name a first-party
 * registry (the mirror). It vouches only for what it read: a source that a bound cut short
 * fails it, since the entries it did not read may be third-party pulls, and a window without
 * a single pull passes with that said, never as proof that the pulls moved.
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
  /** Sources whose read stopped at a bound (--max-entries) before the end of the window. */
  truncated: string[];
  /** True when nothing broke the rule and every source was read to the end. */
  passed: boolean;
}

/** Judges `events` from `after` on (see the module comment). */
export function cutOverGate(
  events: readonly PullEvent[],
  after: number,
  options: { firstParty: readonly string[]; truncated: readonly string[] },
): CutOverGate {
  const violations = thirdPartyAfter(events, after, options.firstParty);
  let pulls = 0;
  for (const event of events) if (event.last >= after) pulls += event.count;
  return {
    after: formatTime(after),
    pulls,
    violations,
    truncated: [...options.truncated],
    passed: violations.length === 0 && options.truncated.length === 0,
  };
}
