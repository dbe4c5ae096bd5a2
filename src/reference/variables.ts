/**
 * The shapes of an image reference partly built from `${VAR}` interpolation that a rewrite can
 * still edit, shared by the Dockerfile and compose finders and the rewrite checks so they agree
 * on what is rewritable: the whole text is one `${VAR:-image}`, or a literal name sits in front
 * of a tag built from variables (`node:${NODE_VERSION}-alpine`).
 */
import { tryParseReference } from './parse.js';
import type { ImageReference } from './types.js';

/** A `${VAR:-operand}` (or `${VAR-operand}`) interpolation that is the whole text. */
export interface WholeDefault {
  /** The variable's name. */
  variable: string;
  /** True for `:-` (the default also replaces an empty value), false for `-`. */
  colon: boolean;
  /** The default as written (may be empty or hold other variables: callers check it). */
  operand: string;
}

const WHOLE_DEFAULT = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?)-([^}]*)\}$/;

/** The interpolation when `text` is exactly one `${VAR:-operand}` / `${VAR-operand}`, else undefined. */
export function wholeDefault(text: string): WholeDefault | undefined {
  const match = WHOLE_DEFAULT.exec(text);
  if (!match) return undefined;
  const [, variable = '', colon, operand = ''] = match;
  return { variable, colon: colon === ':', operand };
}

/**
 * The literal name in front of a tag that holds variables: the text before the first `$`, cut at
 * the tag separator (the last `:` with no `/` after it; a `:` before a `/` is a registry port).
 * Undefined when `text` holds no `$`, when there is no tag separator before it (the variable is
 * in the name), or when a `@` comes before it: a digest there would be edited as part of the
 * name, and the variable after it would no longer be a tag.
 */
export function nameBeforeVariableTag(text: string): string | undefined {
  const dollar = text.indexOf('$');
  if (dollar < 0) return undefined;
  const prefix = text.slice(0, dollar);
  if (prefix.includes('@')) return undefined;
  const colon = prefix.lastIndexOf(':');
  if (colon <= 0 || prefix.includes('/', colon)) return undefined;
  return prefix.slice(0, colon);
}

/** The names of the variables `text` interpolates (`$V`, `${V}`, `${V:-d}`), in order, each once. */
export function variablesIn(text: string): string[] {
  const names = [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
  return [...new Set(names)];
}

/** True when `text` parses as an image reference with the registry and repository of `reference`. */
export function sameRepository(text: string, reference: ImageReference): boolean {
  const parsed = tryParseReference(text);
  return (
    parsed.ok &&
    parsed.reference.registry === reference.registry &&
    parsed.reference.repository === reference.repository
  );
}
