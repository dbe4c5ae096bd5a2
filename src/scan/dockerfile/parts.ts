/**
 * Which part of a Dockerfile word built from variables a rewrite can replace without dropping a
 * variable: the default of `${VAR:-image}` when the default is used, or the literal name in front
 * of a variable tag (`node:${NODE_VERSION}-alpine`). Everything else stays whole (and is reported
 * not rewritable), since a literal written over it would drop a variable the build may set.
 */
import { nameBeforeVariableTag, wholeDefault } from '../../reference/index.js';
import type { Binding, Scope } from './expand.js';

/** A part of a word, offsets relative to the word's start, end exclusive. */
export interface WordPart {
  /** `default`: the whole image is this interpolation default; `name`: the literal name before a variable tag. */
  type: 'default' | 'name';
  start: number;
  end: number;
}

/**
 * The rewritable part of `text` (a word holding a `$`), or undefined when there is none. `scope`
 * decides whether `${VAR:-d}` uses its default: when the variable has a value, that value (an
 * ARG default) is what a rewrite must edit, not the operand.
 */
export function rewritablePart(text: string, scope: Scope, escapeChar: string): WordPart | undefined {
  const whole = wholeDefault(text);
  if (whole) {
    const { variable, colon, operand } = whole;
    if (!isLiteral(operand, escapeChar) || isSet(scope.get(variable), colon)) return undefined;
    return { type: 'default', start: text.length - 1 - operand.length, end: text.length - 1 };
  }
  if (!isLiteral(text.slice(0, text.indexOf('$')), escapeChar)) return undefined;
  const name = nameBeforeVariableTag(text);
  return name === undefined ? undefined : { type: 'name', start: 0, end: name.length };
}

/** Text a rewrite can replace as is: no variables, quotes, escapes or spaces. */
function isLiteral(text: string, escapeChar: string): boolean {
  return text !== '' && !/[$"'\s]/.test(text) && !text.includes(escapeChar);
}

function isSet(binding: Binding | undefined, colon: boolean): boolean {
  return binding?.value !== undefined && (!colon || binding.value !== '');
}
