import { quoteText } from '../../util/quote.js';

/**
 * Variable expansion of one Dockerfile word, following BuildKit's shell lexer
 * (https://github.com/moby/buildkit/blob/master/frontend/dockerfile/shell/lex.go): `$V`, `${V}`,
 * `${V:-d}`, `${V-d}`, `${V:+a}`, `${V+a}`, `${V:?m}`, `${V?m}`, single and double quotes, and the
 * escape character. Unlike BuildKit, an unset variable is a failure, not an empty string: the
 * scanner reports what it cannot know instead of guessing.
 */

/**
 * Where a variable's value is written in the source: an ARG default (inside its quotes), or the
 * rewritable part of one (see parts.ts).
 */
export interface Origin {
  start: number;
  end: number;
  /** The text at the span: the decoded default value, or the name part. */
  value: string;
  /** Set when the span holds only the image name and the tag comes from variables. Default: the whole image. */
  part?: 'name';
  /** For a name part: the variables the tag after it interpolates. */
  variables?: string[];
}

/** What a variable holds in a scope. `value` undefined: declared without a default. */
export interface Binding {
  value: string | undefined;
  /** Set when the whole value comes from one ARG default, so a rewrite can edit that default. */
  origin: Origin | undefined;
  /**
   * Why `value` is undefined when the ARG had a default that could not be expanded: the first
   * problem of the chain, so a chain of ARGs never nests reasons inside reasons.
   */
  reason?: string;
}

/** The variables visible at one point of the file. */
export type Scope = ReadonlyMap<string, Binding>;

/** Expansion outcome; `whole` is the binding when the word is exactly one variable that supplied the value. */
export type Expansion =
  | { ok: true; value: string; whole: Binding | undefined }
  | {
      ok: false;
      variable: string;
      reason: string;
      /** The first problem in a chain of ARGs (`the value expands to more than …`): what a binding keeps. */
      cause: string;
    };

type Failure = { variable: string; reason: string; cause: string };

/** Variables BuildKit sets itself; their values depend on the build, never on the file. */
const BUILDER_VARIABLES = new Set([
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'TARGETSTAGE',
]);

/** Nesting deeper than this (`${A:-${B:-...}}`) is refused, which also bounds recursion on hostile input. */
const MAX_DEPTH = 16;

/**
 * The longest value an expansion may produce. Image references are a few hundred characters at
 * most; a chain of ARGs that each double the one before would otherwise grow past any memory
 * (28 doublings of a short default reach the JavaScript string limit). Default: 4 KiB.
 */
export const MAX_EXPANDED_LENGTH = 4096;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

interface State {
  text: string;
  i: number;
  escapeChar: string;
  scope: Scope;
  failure: Failure | undefined;
  /** Counts pieces of the top-level word, to decide whether one variable supplied it all. */
  pieces: number;
  whole: Binding | undefined;
}

/** Expands `text` in `scope` with the given escape character. Never throws. */
export function expandWord(text: string, scope: Scope, escapeChar: string): Expansion {
  const state: State = { text, i: 0, escapeChar, scope, failure: undefined, pieces: 0, whole: undefined };
  const value = readWord(state, 0);
  if (state.failure) return { ok: false, ...state.failure };
  if (state.i < text.length)
    return { ok: false, variable: '', reason: 'unbalanced "}"', cause: 'unbalanced "}"' };
  return { ok: true, value, whole: state.pieces === 1 ? state.whole : undefined };
}

function fail(state: State, variable: string, reason: string, cause = reason): void {
  state.failure ??= { variable, reason, cause };
}

/** Reads until the end, or until an unquoted `}` when nested inside `${...}`. */
function readWord(state: State, depth: number): string {
  const { text, escapeChar } = state;
  let out = '';
  let quote = '';
  while (state.i < text.length) {
    if (out.length > MAX_EXPANDED_LENGTH) {
      fail(state, '', `the value expands to more than ${MAX_EXPANDED_LENGTH} characters`);
      state.i = text.length;
      return '';
    }
    const char = text[state.i] as string;
    if (quote === "'") {
      if (char === "'") quote = '';
      else out += char;
      state.i++;
    } else if (char === escapeChar) {
      out += text[state.i + 1] ?? escapeChar;
      state.i += 2;
      state.pieces += 2; // An escaped character is literal text next to any variable.
    } else if (char === '"' || (char === "'" && quote === '')) {
      quote = quote === char ? '' : char;
      state.i++;
    } else if (char === '$') {
      out += readDollar(state, depth);
    } else if (char === '}' && depth > 0 && quote === '') {
      return out;
    } else {
      out += char;
      state.i++;
      state.pieces += 2;
    }
  }
  if (out.length > MAX_EXPANDED_LENGTH) {
    fail(state, '', `the value expands to more than ${MAX_EXPANDED_LENGTH} characters`);
    return '';
  }
  return out;
}

function readDollar(state: State, depth: number): string {
  const { text } = state;
  state.i++;
  const braced = text[state.i] === '{';
  if (braced) state.i++;
  NAME.lastIndex = state.i;
  const match = NAME.exec(text);
  if (!match) {
    if (braced) fail(state, '', `bad substitution in ${quoteText(text)}`);
    state.pieces += 2;
    return braced ? '' : '$';
  }
  const name = match[0];
  state.i += name.length;
  const binding = state.scope.get(name);
  if (!braced) return lookup(state, name, binding, depth);
  if (text[state.i] === '}') {
    state.i++;
    return lookup(state, name, binding, depth);
  }
  return readModifier(state, name, binding, depth);
}

function lookup(state: State, name: string, binding: Binding | undefined, depth: number): string {
  if (binding?.value === undefined) {
    fail(state, name, unsetReason(name, binding), binding?.reason);
    return '';
  }
  if (depth === 0) {
    state.pieces++;
    state.whole = binding;
  } else state.pieces += 2;
  return binding.value;
}

function unsetReason(name: string, binding: Binding | undefined): string {
  if (binding?.reason) return `variable ${name} cannot be resolved: ${binding.reason}`;
  if (binding) return `variable ${name} has no default value (it is set with --build-arg at build time)`;
  if (BUILDER_VARIABLES.has(name)) return `variable ${name} is set by the builder at build time`;
  return `variable ${name} is not declared by an ARG in scope`;
}

function readModifier(state: State, name: string, binding: Binding | undefined, depth: number): string {
  const { text } = state;
  const colon = text[state.i] === ':';
  const operator = text[state.i + (colon ? 1 : 0)] ?? '';
  if (!'-+?'.includes(operator) || operator === '') {
    fail(state, name, `unsupported expansion of ${name} in ${quoteText(text)}`);
    state.i = text.length;
    return '';
  }
  if (depth + 1 > MAX_DEPTH) {
    fail(state, name, `variable expansion nested deeper than ${MAX_DEPTH} levels`);
    state.i = text.length;
    return '';
  }
  state.i += colon ? 2 : 1;
  // The operand is read (and its own failures recorded) in a scratch state: it only counts if used.
  const operand: State = { ...state, failure: undefined, pieces: 0, whole: undefined };
  const word = readWord(operand, depth + 1);
  state.i = operand.i + 1;
  if (operand.i >= text.length) fail(state, name, `missing "}" in ${quoteText(text)}`);
  const isSet = binding?.value !== undefined && (!colon || binding.value !== '');
  const useOperand = operator === '-' ? !isSet : operator === '+' ? isSet : false;
  if (operator === '?' && !isSet) fail(state, name, `variable ${name} must be set: ${quoteText(word)}`);
  if (useOperand) {
    if (operand.failure) fail(state, operand.failure.variable, operand.failure.reason, operand.failure.cause);
    state.pieces += 2;
    return word;
  }
  if (operator === '+') return '';
  return lookup(state, name, binding, depth);
}
