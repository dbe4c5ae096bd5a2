/**
 * The scalars of the fast YAML subset (fast-parse.ts, fast-flow.ts): plain scalars resolved as the
 * `yaml` composer resolves them with the core schema, and quoted scalars closed on their own line
 * without escapes. Anything else throws OUTSIDE_SUBSET, which the parser catches once per document
 * and answers by handing the document to `yaml`.
 */
import type { Scalar, ScalarTag } from 'yaml';
import { createScalar, schema } from './fast-nodes.js';
import { isScalar } from './guards.js';

/** Thrown inside the fast parser when the input leaves the subset; caught once per document. */
export const OUTSIDE_SUBSET = Symbol('outside the fast YAML subset');

export function outside(): never {
  throw OUTSIDE_SUBSET;
}

/** Characters that start something other than a plain scalar (or a plain scalar we leave to `yaml`). */
export const INDICATORS: ReadonlySet<string> = new Set([
  '-',
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
]);

/**
 * False for a plain scalar the core schema can only read as a string: a null, boolean or number
 * starts with `-+.~` or a digit, or is one of the words null/true/false in its three spellings.
 */
function mayNotBeString(source: string): boolean {
  const first = source.charCodeAt(0);
  // n N t T f F
  if (first === 110 || first === 78 || first === 116 || first === 84 || first === 102 || first === 70)
    return source.length === 4 || source.length === 5;
  // - + . ~ and digits
  return first === 45 || first === 43 || first === 46 || first === 126 || (first >= 48 && first <= 57);
}

/** The core schema's implicit scalar tags, tried in the order the `yaml` composer tries them. */
const implicitTags = schema.tags.filter(
  (tag): tag is ScalarTag => tag.default === true && !('collection' in tag && tag.collection) && !!tag.test,
);

export function skipSpaces(text: string, at: number, end: number): number {
  let i = at;
  while (i < end && text.charCodeAt(i) === 32) i++;
  return i;
}

/** True when the character at `at` may start a plain scalar in the subset (`-1` may, `- ` may not). */
export function startsPlain(text: string, at: number, end: number): boolean {
  const first = text[at]!;
  return !INDICATORS.has(first) || (first === '-' && at + 1 < end && text.charCodeAt(at + 1) !== 32);
}

/** Resolves a plain scalar as the `yaml` composer does with the core schema (`7.20` → 7.2). */
export function plainScalar(source: string): Scalar {
  const tag = mayNotBeString(source) ? implicitTags.find((t) => t.test!.test(source)) : undefined;
  let scalar: Scalar;
  if (tag) {
    const resolved = tag.resolve(source, outside, { intAsBigInt: false });
    scalar = isScalar(resolved) ? resolved : createScalar(resolved);
    if (tag.format) scalar.format = tag.format;
  } else {
    scalar = createScalar(source);
  }
  scalar.source = source;
  scalar.type = 'PLAIN';
  return scalar;
}

/**
 * The offset of the quote that closes the quoted scalar opening at `at`, before `end`. A double
 * quote with a backslash (an escape) or a scalar that does not close before `end` leaves the subset.
 */
export function closingQuote(text: string, at: number, end: number): number {
  const quote = text[at];
  for (let close = at + 1; close < end; close++) {
    const ch = text[close];
    if (ch === '\\' && quote === '"') outside();
    if (ch !== quote) continue;
    if (quote === "'" && text[close + 1] === "'") close++;
    else return close;
  }
  return outside();
}

/** The scalar of a quoted text from `at` (its opening quote) to `close` (its closing quote). */
export function quotedScalar(text: string, at: number, close: number): Scalar {
  const single = text[at] === "'";
  const raw = text.slice(at + 1, close);
  const value = single ? raw.replaceAll("''", "'") : raw;
  const scalar = createScalar(value);
  scalar.source = value;
  scalar.type = single ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
  scalar.range = [at, close + 1, close + 1];
  return scalar;
}
