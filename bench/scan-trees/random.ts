/** A small seeded PRNG, so a generated benchmark tree is the same on every run and machine. */

/** Deterministic choices for tree generators. */
export interface Rng {
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** A lower-case word from a fixed vocabulary. */
  word(): string;
  /** `count` words joined by spaces, as prose. */
  words(count: number): string;
  /** A random base64 string of about `length` characters. */
  base64(length: number): string;
}

const VOCABULARY = [
  'account address agent alert api audit backend batch billing bucket cache catalog checkout',
  'client cluster config consumer controller customer dashboard data delivery device event',
  'export feature gateway identity index ingest inventory invoice job ledger loader metrics',
  'notify order payment pipeline policy pricing profile queue quota report router search',
  'session shipping storage stream sync tenant token tracker upload user vault webhook worker',
  'the is a when value field must be set',
]
  .join(' ')
  .split(' ');

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** mulberry32: tiny, fast, good enough for picking fixture shapes. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const rng: Rng = {
    int,
    between: (min, max) => min + int(max - min + 1),
    pick: (items) => items[int(items.length)]!,
    chance: (p) => next() < p,
    word: () => VOCABULARY[int(VOCABULARY.length)]!,
    words: (count) => Array.from({ length: count }, () => rng.word()).join(' '),
    base64: (length) => Array.from({ length }, () => B64[int(64)]).join(''),
  };
  return rng;
}
