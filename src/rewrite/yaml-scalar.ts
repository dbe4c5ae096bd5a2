/**
 * Writes a new value in the style the original scalar was written in, so a rewrite changes the
 * value and nothing about how it is quoted or laid out. Never re-serialises a document.
 */
import { parse } from 'yaml';
import type { ScalarStyle } from '../scan/types.js';

/** The new text for a span, or why the value cannot be written in that style. */
export type EncodeResult = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Encodes `value` to replace `original` (the exact text of the span), keeping `style`:
 * `dockerfile` and `plain` write the value as is (plain refuses values YAML would read
 * differently), `double` escapes `\`, `"` and control characters, `single` doubles `'`, and block
 * scalars keep their header, indentation, chomping and trailing lines, replacing only the content line.
 * The `-inner` styles (a stretch inside a scalar) write the value as is when it needs no quoting or
 * escaping anywhere in a YAML scalar or a `${…}` default, and refuse anything else; so does
 * `dotenv` (a `.env` value, inside its quotes if it has them).
 */
export function encodeScalar(original: string, style: ScalarStyle, value: string): EncodeResult {
  if (/[\r\n]/.test(value)) return fail('the value contains a line break');
  switch (style) {
    case 'dockerfile':
      return /^[^\s"'$\\`]+$/.test(value)
        ? { ok: true, text: value }
        : fail(`"${value}" would need quoting or escaping in a Dockerfile`);
    case 'plain':
      return isSafePlain(value)
        ? { ok: true, text: value }
        : fail(`"${value}" cannot be written as a plain YAML scalar`);
    case 'double':
      return { ok: true, text: encodeDouble(value) };
    case 'single':
      return { ok: true, text: `'${value.replace(/'/g, "''")}'` };
    case 'block-literal':
    case 'block-folded':
      return encodeBlock(original, value);
    case 'plain-inner':
    case 'double-inner':
    case 'single-inner':
      return encodeInner(style, value);
    case 'dotenv':
      // The reference alphabet needs no quoting in a `.env` value, quoted or not, and holds no ` #`.
      return INNER_SAFE.test(value)
        ? { ok: true, text: value }
        : fail(`"${value}" cannot be written in a .env value as is`);
  }
}

/**
 * The reference alphabet: letters, digits, `.`, `_`, `-`, `/`, `:`, `@`. None needs escaping in a
 * plain, double- or single-quoted scalar, none is a YAML indicator in the middle of a plain scalar
 * (no space, so no `: ` or ` #`; no flow indicators), and none ends a `${…}` default.
 */
const INNER_SAFE = /^[A-Za-z0-9._\-/:@]+$/;

function encodeInner(style: ScalarStyle, value: string): EncodeResult {
  return INNER_SAFE.test(value)
    ? { ok: true, text: value }
    : fail(`"${value}" cannot be written inside a ${style.replace('-inner', '')} YAML scalar as is`);
}

/** A double-quoted YAML scalar holding `value` (JSON escapes are valid YAML escapes). */
export function encodeDouble(value: string): string {
  return JSON.stringify(value);
}

/**
 * True when `value` can be written as a plain scalar in block and flow context and reads back as
 * the same string under YAML 1.2 and 1.1 (so `1.0`, `true`, `null`, `@x`, `a: b`, `a #b` are refused).
 */
export function isSafePlain(value: string): boolean {
  if (value === '' || value !== value.trim()) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(value)) return false;
  if (/[,[\]{}]|: |:$| #|\t/.test(value)) return false;
  return readsBackAsString(`k: ${value}`, value) && readsBackAsString(`{k: ${value}}`, value);
}

function readsBackAsString(document: string, value: string): boolean {
  for (const version of ['1.2', '1.1'] as const) {
    try {
      const data: unknown = parse(document, { version });
      if (typeof data !== 'object' || data === null || (data as Record<string, unknown>).k !== value)
        return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Replaces the single content line of a block scalar (`|`, `>-`, `|2+` ...). The header line,
 * the content line's indentation and line ending, and any blank lines around it stay as they
 * were; a block with more than one content line is refused (a folded or multi-line value is not
 * an image reference we can safely replace).
 */
function encodeBlock(original: string, value: string): EncodeResult {
  const lines = original.split(/(?<=\n)/);
  const header = lines[0] ?? '';
  if (!/^[|>]/.test(header) || !/\n$/.test(header)) return fail('the block scalar has no header line');
  const contentIndexes = lines.flatMap((line, index) => (index > 0 && line.trim() !== '' ? [index] : []));
  if (contentIndexes.length !== 1) return fail('the block scalar does not hold exactly one content line');
  const index = contentIndexes[0]!;
  const line = lines[index]!;
  const indent = /^ */.exec(line)![0];
  const ending = /\r?\n$/.exec(line)?.[0] ?? '';
  lines[index] = `${indent}${value}${ending}`;
  return { ok: true, text: lines.join('') };
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
