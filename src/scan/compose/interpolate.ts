/** Outcome of resolving compose variables without an environment. */
export type Interpolation = { ok: true; value: string } | { ok: false; variable: string };

/** Nested defaults (`${A:-${B:-x}}`) deeper than this are not real files; stop instead of recursing. */
const MAX_NESTING = 16;

/**
 * Resolves compose interpolation (https://docs.docker.com/reference/compose-file/interpolation/)
 * as if no variable were set, since the scan has no environment: `${VAR:-default}` and
 * `${VAR-default}` give their default, `$$` is a literal `$`. `${VAR}`, `$VAR`, `${VAR:?err}` and
 * `${VAR:+alt}` depend on the environment, so the first such variable is returned instead of a
 * guess.
 */
export function interpolateCompose(text: string, depth = 0): Interpolation {
  let value = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    value += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      value += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = matchingBrace(text, dollar + 2);
      if (close < 0) return { ok: false, variable: text.slice(dollar) };
      const inner = expand(text.slice(dollar + 2, close), depth);
      if (!inner.ok) return inner;
      value += inner.value;
      i = close + 1;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(dollar + 1))?.[0];
      if (name) return { ok: false, variable: name };
      value += '$';
      i = dollar + 1;
    }
  }
  return { ok: true, value: value + text.slice(i) };
}

/** Resolves the inside of `${...}`: a name, an operator and the operand. */
function expand(body: string, depth: number): Interpolation {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?([\s\S]*)$/.exec(body);
  if (!match) return { ok: false, variable: body };
  const [, name = '', operator, operand = ''] = match;
  if (operator === ':-' || operator === '-') {
    if (depth >= MAX_NESTING) return { ok: false, variable: name };
    return interpolateCompose(operand, depth + 1);
  }
  return { ok: false, variable: name };
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
