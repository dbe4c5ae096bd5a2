/**
 * How many blob transfers run at once against one registry host, shared by every image of a run
 * and adapted to what the registry says, the way TCP adapts its congestion window (AIMD):
 *
 * - while nothing has pushed back, each finished transfer adds a slot (slow start: the limit
 *   doubles per round of transfers, up to `max`);
 * - a 429, a 503 or a Retry-After halves the limit (never below `min`), once per round: a
 *   request that started before the last cut does not cut it again (`mark`, then `throttle`);
 * - after the first push-back, a whole round of successes adds one slot (additive increase).
 *
 * A transfer holds its slot from the start of its source GET to the end of its upload.
 */
import { MirrorError } from '../errors.js';

/** Options of createPace. */
export interface PaceOptions {
  /** Transfers at once to begin with. Default: DEFAULT_PACE.initial (16). */
  initial?: number;
  /** The most transfers at once, ever. Default: DEFAULT_PACE.max (32). */
  max?: number;
  /** The fewest the limit falls to. Default: 1. */
  min?: number;
}

/**
 * The adaptive default: 16 transfers at once per registry host to begin with, growing up to 32.
 * A blob stream over the internet is held to tens of MB/s by its round trip and its window,
 * so the transfers that run at once set the pace: issue 12's 19 blobs then go in one round
 * (docs/perf-notes.md). Each costs a connection per side and up to ~2 MiB of buffers.
 */
export const DEFAULT_PACE = { initial: 16, max: 32 } as const;

/** A slot of a pace; give it back exactly once, saying whether its transfer succeeded (which grows the limit). */
export interface Slot {
  release(succeeded: boolean): void;
}

/** One registry host's pace. */
export interface Pace {
  /** Waits for a free slot (in arrival order); rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Slot>;
  /** Taken when a request starts, for `throttle`. */
  mark(): number;
  /** The registry pushed back (429, 503, Retry-After) on a request started at `mark`: halve, once per round. */
  throttle(mark: number): void;
  /** The current limit. */
  readonly limit: number;
  /** Slots held now. */
  readonly active: number;
}

/** Waiting for a slot was given up (the copy's deadline or failure). */
export class PaceAbortedError extends MirrorError {}

interface Waiter {
  grant: (slot: Slot) => void;
}

/** The limit's state; the functions below are its only writers. */
interface PaceState {
  limit: number;
  readonly min: number;
  readonly max: number;
  active: number;
  /** Bumped at every cut: a request marked before it cannot cut again (one cut per round). */
  generation: number;
  slowStart: boolean;
  /** Successes since the last additive step, in rounds (1 = a whole round). */
  credit: number;
  readonly waiting: Waiter[];
}

/** Creates a pace; `{initial: n, max: n}` is a fixed limit that 429s still lower. */
export function createPace(options: PaceOptions = {}): Pace {
  const max = Math.max(1, options.max ?? DEFAULT_PACE.max);
  const min = Math.min(max, Math.max(1, options.min ?? 1));
  const limit = Math.min(max, Math.max(min, options.initial ?? DEFAULT_PACE.initial));
  const state: PaceState = {
    limit,
    min,
    max,
    active: 0,
    generation: 0,
    slowStart: true,
    credit: 0,
    waiting: [],
  };
  return {
    get limit() {
      return state.limit;
    },
    get active() {
      return state.active;
    },
    mark: () => state.generation,
    throttle(mark) {
      cut(state, mark);
      wake(state);
    },
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      if (state.active < state.limit && state.waiting.length === 0) {
        state.active++;
        return Promise.resolve(slotOf(state));
      }
      return waitForSlot(state, signal);
    },
  };
}

function waitForSlot(state: PaceState, signal: AbortSignal | undefined): Promise<Slot> {
  return new Promise<Slot>((resolve, reject) => {
    const waiter: Waiter = {
      grant: (slot) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(slot);
      },
    };
    const onAbort = () => {
      const at = state.waiting.indexOf(waiter);
      if (at >= 0) state.waiting.splice(at, 1);
      reject(abortError(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    state.waiting.push(waiter);
  });
}

function slotOf(state: PaceState): Slot {
  let released = false;
  return {
    release(succeeded) {
      if (released) return;
      released = true;
      state.active--;
      if (succeeded) grow(state);
      wake(state);
    },
  };
}

function wake(state: PaceState): void {
  while (state.active < state.limit && state.waiting.length > 0) {
    state.active++;
    state.waiting.shift()?.grant(slotOf(state));
  }
}

function grow(state: PaceState): void {
  if (!state.slowStart) {
    state.credit += 1 / state.limit;
    if (state.credit < 1) return;
    state.credit = 0;
  }
  state.limit = Math.min(state.max, state.limit + 1);
}

function cut(state: PaceState, generation: number): void {
  if (generation !== state.generation) return;
  state.generation++;
  state.slowStart = false;
  state.credit = 0;
  state.limit = Math.max(state.min, Math.floor(state.limit / 2));
}

function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new PaceAbortedError('gave up waiting for a transfer slot');
}

/**
 * Takes a slot of each pace, always in the same order (by key), so two copies that need the
 * same two hosts in opposite roles cannot each hold one and wait for the other.
 */
export async function acquireSlots(
  paces: readonly { key: string; pace: Pace }[],
  signal?: AbortSignal,
): Promise<{ key: string; slot: Slot }[]> {
  const ordered = [...new Map(paces.map((p) => [p.key, p])).values()].sort((a, b) =>
    a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
  const held: { key: string; slot: Slot }[] = [];
  try {
    for (const { key, pace } of ordered) held.push({ key, slot: await pace.acquire(signal) });
  } catch (err: unknown) {
    for (const { slot } of held) slot.release(false);
    throw err;
  }
  return held;
}
