/**
 * Glob matching for `include`, `exclude` and `ignore-images`, done by picomatch (chosen over
 * minimatch: no dependencies of its own, already in the lockfile, and the smaller bundle). The
 * options make patterns behave the way users write GitHub `paths:` filters and `.gitignore`:
 *
 * - `dot: true`: `*` and `**` match names that start with `.` (`**\/*.yaml` matches
 *   `.github/workflows/ci.yaml`), as GitHub's path filters do.
 * - `posix: true`: character classes `[abc]`, `[a-z]`, `[!abc]` (negated, as in `.gitignore`) and
 *   POSIX classes `[[:digit:]]`.
 * - `nonegate: true`: a leading `!` is handled here, per list (see globMatcher), not by picomatch
 *   per pattern.
 * - `strictBrackets: true`: an unbalanced `[` or `(` is an error, not a literal character.
 */
import picomatch from 'picomatch/posix.js';
import { ConfigError } from './errors.js';

const OPTIONS = { dot: true, posix: true, nonegate: true, strictBrackets: true } as const;

/** One pattern of a list: what it matches and whether it is an exclusion (`!pattern`). */
interface CompiledGlob {
  negated: boolean;
  test: (text: string) => boolean;
}

/**
 * Compiles one glob of a list; a leading `!` marks an exclusion. Unbalanced braces, brackets or
 * parentheses are a ConfigError naming `setting` (the input, flag or key the glob came from).
 */
function compileGlob(glob: string, setting: string): CompiledGlob {
  const negated = glob.startsWith('!');
  const pattern = negated ? glob.slice(1) : glob;
  // picomatch reads a stray `}` as a literal; a brace glob list that lost its `{` is a typo.
  if (!bracesBalance(pattern)) {
    throw new ConfigError(`${setting}: "${glob}" has unbalanced braces; expected {a,b} pairs`);
  }
  if (pattern === '') throw new ConfigError(`${setting}: "${glob}" is an empty pattern`);
  try {
    return { negated, test: picomatch(pattern, OPTIONS) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`${setting}: "${glob}" is not a valid glob: ${why}`);
  }
}

function bracesBalance(pattern: string): boolean {
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (char === '{') depth++;
    else if (char === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Checks a list of globs, throwing ConfigError naming `setting` for a bad pattern or for a list
 * whose patterns are all exclusions (it would match nothing; GitHub's `paths:` filters refuse
 * such a list too). Default setting: `glob`.
 */
export function validateGlobs(globs: readonly string[], setting = 'glob'): void {
  globMatcher(globs, setting);
}

/**
 * Returns a predicate over a list of globs read in order, like GitHub `paths:` filters: a text
 * matches when the last pattern that matches it is not an exclusion (`!pattern`). So
 * `['k8s/**', '!k8s/test/**', 'k8s/test/keep.yaml']` takes `k8s/` without `k8s/test/` except
 * keep.yaml. An empty list matches nothing. `setting` names where the globs came from in
 * errors. Default: `glob`.
 */
export function globMatcher(globs: readonly string[], setting = 'glob'): (text: string) => boolean {
  const compiled = globs.map((glob) => compileGlob(glob, setting));
  if (compiled.length > 0 && compiled.every((glob) => glob.negated)) {
    throw new ConfigError(
      `${setting}: every pattern starts with "!", so nothing would match; add a pattern to exclude from, e.g. "**"`,
    );
  }
  return (text) => {
    let matched = false;
    for (const glob of compiled) if (glob.negated === matched && glob.test(text)) matched = !glob.negated;
    return matched;
  };
}
