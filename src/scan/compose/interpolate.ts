/**
 * Compose interpolation (https://docs.docker.com/reference/compose-file/interpolation/), the
 * same rules compose-go's `template` package applies to compose files and to `.env` values:
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+alt}`, `${VAR+alt}` and `$$` for a literal `$`.
 *
 * A scan has the repository, not the shell of whoever runs compose: a variable is known when the
 * project's `.env` sets it (through `lookup`), and a variable nothing sets is unknown rather than
 * empty, so anything that depends on it is reported instead of guessed. Defaults apply when the
 * variable is not set, as compose applies them.
 */

/** What a variable holds for interpolation: a value, or the reason its value cannot be known. */
export type EnvValue = { value: string } | { problem: string };

/** Looks a variable up; undefined when nothing sets it. Default: nothing is set. */
export type EnvLookup = (name: string) => EnvValue | undefined;

/** Outcome of resolving compose variables. */
export type Interpolation =
  | {
      ok: true;
      value: string;
      /**
       * The variable whose value is the whole text, when the text is exactly one interpolation
       * (`${IMAGE}`, `$IMAGE`, `${IMAGE:-x}`) and the value came from the variable, not from a
       * default. The caller may then report the place that variable is set.
       */
      whole?: string;
    }
  | {
      ok: false;
      /** The variable that could not be resolved (or the text, when the syntax is broken). */
      variable: string;
      /** Why, when it is more than "nothing sets it". Default: nothing sets the variable. */
      reason?: string;
    };

/** Nested defaults (`${A:-${B:-x}}`) deeper than this are not real files; stop instead of recursing. */
const MAX_NESTING = 16;

/**
 * The longest value interpolation may produce; past it the value becomes a problem instead of
 * growing (`.env` values that double each other, as an attacker's pull request could write).
 * Default: 4 KiB, like the Dockerfile finder's bound.
 */
export const MAX_INTERPOLATED_LENGTH = 4096;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const nothingSet: EnvLookup = () => undefined;

/** Resolves the interpolation in `text`; without `lookup` no variable is set. */
export function interpolateCompose(text: string, lookup: EnvLookup = nothingSet): Interpolation {
  return interpolate(text, lookup, 0);
}

function interpolate(text: string, lookup: EnvLookup, depth: number): Interpolation {
  let value = '';
  let i = 0;
  let whole: string | undefined;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    let piece: Piece;
    if (next === '$') piece = { ok: true, value: '$', end: dollar + 2 };
    else if (next === '{') piece = braced(text, dollar, lookup, depth);
    else piece = unbraced(text, dollar, lookup);
    if (!piece.ok) return piece;
    if (dollar === 0 && piece.end === text.length) whole = piece.fromVariable;
    value += piece.value;
    if (value.length > MAX_INTERPOLATED_LENGTH) return tooLong(text);
    i = piece.end;
  }
  value += text.slice(i);
  if (value.length > MAX_INTERPOLATED_LENGTH) return tooLong(text);
  return whole === undefined ? { ok: true, value } : { ok: true, value, whole };
}

/** One `$…` of the text: its value and where it ends, or the failure. */
type Piece =
  | { ok: true; value: string; end: number; fromVariable?: string }
  | Extract<Interpolation, { ok: false }>;

function unbraced(text: string, dollar: number, lookup: EnvLookup): Piece {
  const name = NAME.exec(text.slice(dollar + 1))?.[0];
  // A `$` before anything that is not a name stays a literal `$` (compose-go does the same).
  if (!name) return { ok: true, value: '$', end: dollar + 1 };
  const found = lookup(name);
  if (found === undefined) return { ok: false, variable: name };
  if ('problem' in found) return { ok: false, variable: name, reason: found.problem };
  return { ok: true, value: found.value, end: dollar + 1 + name.length, fromVariable: name };
}

function braced(text: string, dollar: number, lookup: EnvLookup, depth: number): Piece {
  const close = matchingBrace(text, dollar + 2);
  if (close < 0) return { ok: false, variable: text.slice(dollar, dollar + 80), reason: 'missing "}"' };
  const body = text.slice(dollar + 2, close);
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!match) return { ok: false, variable: body.slice(0, 80), reason: 'not a variable name' };
  const [, name = '', operator, operand = ''] = match;
  const found = lookup(name);
  if (found !== undefined && 'problem' in found) return { ok: false, variable: name, reason: found.problem };
  const set = found?.value;
  const end = close + 1;
  const use = (value: string): Piece => ({ ok: true, value, end, fromVariable: name });
  const operandValue = (): Piece => {
    if (depth >= MAX_NESTING) return { ok: false, variable: name, reason: 'defaults nested too deep' };
    const inner = interpolate(operand, lookup, depth + 1);
    return inner.ok ? { ok: true, value: inner.value, end } : inner;
  };
  switch (operator) {
    case undefined:
      return set === undefined ? { ok: false, variable: name } : use(set);
    case ':-':
      return set ? use(set) : operandValue();
    case '-':
      return set !== undefined ? use(set) : operandValue();
    case ':?':
      return set ? use(set) : { ok: false, variable: name, reason: `required: ${operand.slice(0, 80)}` };
    case '?':
      return set !== undefined
        ? use(set)
        : { ok: false, variable: name, reason: `required: ${operand.slice(0, 80)}` };
    case ':+':
      return set === undefined
        ? { ok: false, variable: name }
        : set
          ? operandValue()
          : { ok: true, value: '', end };
    default: // '+'
      return set === undefined ? { ok: false, variable: name } : operandValue();
  }
}

function tooLong(text: string): Interpolation {
  return {
    ok: false,
    variable: text.slice(0, 80),
    reason: `the value expands to more than ${MAX_INTERPOLATED_LENGTH} characters`,
  };
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`. */
function matchingBrace(text: string, from: number): number {
  let open = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      open++;
      i++;
    } else if (text[i] === '}' && --open === 0) {
      return i;
    }
  }
  return -1;
}
