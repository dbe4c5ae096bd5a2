/**
 * Narrows a compose `image:` target built from interpolation to the part a rewrite can replace
 * without dropping a variable: the default of `${VAR:-image}` (the whole image is that one
 * interpolation), or the literal name in front of a variable tag (`redis:${REDIS_TAG:-7}`).
 * Anything else keeps the whole scalar, which the plan reports as not rewritable.
 */
import {
  formatReference,
  nameBeforeVariableTag,
  sameRepository,
  tryParseReference,
  variablesIn,
  wholeDefault,
} from '../../reference/index.js';
import type { ImageReference } from '../../reference/types.js';
import type { RewriteTarget, ScalarSpan, ScalarStyle } from '../types.js';

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
  const whole = wholeDefault(value);
  if (whole) {
    const { operand } = whole;
    const start = from + value.length - 1 - operand.length;
    const span = { start, end: start + operand.length, style, value: operand };
    return isSameImage(operand, reference) ? { type: 'scalar', scalar: span, prefix: '' } : undefined;
  }
  // The name must parse as the occurrence's repository, which also refuses quotes and spaces in it.
  const name = nameBeforeVariableTag(value);
  if (name === undefined || !sameRepository(name, reference)) return undefined;
  const span = { start: from, end: from + name.length, style, value: name };
  return { type: 'name', scalar: span, variables: variablesIn(value.slice(name.length)) };
}

/** True when `text` is the same image as `reference` (an operand holding `$` or `{` does not parse). */
function isSameImage(text: string, reference: ImageReference): boolean {
  const parsed = tryParseReference(text);
  return parsed.ok && formatReference(parsed.reference) === formatReference(reference);
}
