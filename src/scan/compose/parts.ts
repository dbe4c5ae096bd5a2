/**
 * Narrows a compose `image:` target built from interpolation to the part a rewrite can replace
 * without dropping a variable: the default of `${VAR:-image}` (the whole image is that one
 * interpolation), or the literal name in front of a variable tag (`redis:${REDIS_TAG:-7}`).
 * Anything else keeps the whole scalar, which the plan reports as not rewritable.
 */
import { tryParseReference } from '../../reference/index.js';
import type { ImageReference } from '../../reference/types.js';
import type { RewriteTarget, ScalarSpan, ScalarStyle } from '../types.js';

const WHOLE_DEFAULT = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^${}]+)\}$/;
const INNER: Partial<Record<ScalarStyle, ScalarStyle>> = {
  plain: 'plain-inner',
  double: 'double-inner',
  single: 'single-inner',
};

/**
 * The narrowed target for a scalar whose value holds `$`, or undefined to keep the whole scalar.
 * Only scalars whose source text (inside the quotes) is exactly their value are narrowed, so
 * offsets in the value are offsets in the file: an escape or a folded line keeps the whole scalar.
 */
export function narrowTarget(
  content: string,
  scalar: ScalarSpan,
  reference: ImageReference,
): RewriteTarget | undefined {
  const style = INNER[scalar.style];
  const value = scalar.value;
  if (style === undefined || !value.includes('$')) return undefined;
  const from = scalar.style === 'plain' ? scalar.start : scalar.start + 1;
  if (content.slice(from, from + value.length) !== value) return undefined;
  const whole = WHOLE_DEFAULT.exec(value);
  if (whole) {
    const operand = whole[1] ?? '';
    const start = from + value.length - 1 - operand.length;
    const span = { start, end: start + operand.length, style, value: operand };
    return isSame(operand, reference, true) ? { type: 'scalar', scalar: span, prefix: '' } : undefined;
  }
  const name = literalName(value);
  if (name === undefined || !isSame(name, reference, false)) return undefined;
  return { type: 'name', scalar: { start: from, end: from + name.length, style, value: name } };
}

/**
 * The text before the tag separator when only the tag holds variables (`$$` counts as one). The
 * caller checks that it parses as the occurrence's repository, which also refuses quotes, spaces
 * and a digest in it.
 */
function literalName(value: string): string | undefined {
  const prefix = value.slice(0, value.indexOf('$'));
  // The tag separator is the last `:` with no `/` after it; a `:` before a `/` is a registry port.
  const colon = prefix.lastIndexOf(':');
  if (colon <= 0 || prefix.includes('/', colon)) return undefined;
  return prefix.slice(0, colon);
}

/** True when `text` names the same image (`whole`) or the same repository as `reference`. */
function isSame(text: string, reference: ImageReference, whole: boolean): boolean {
  const parsed = tryParseReference(text);
  if (!parsed.ok) return false;
  const found = parsed.reference;
  if (found.registry !== reference.registry || found.repository !== reference.repository) return false;
  return !whole || (found.tag === reference.tag && found.digest === reference.digest);
}
