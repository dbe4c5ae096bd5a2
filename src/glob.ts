/**
 * Minimal glob matching for include/exclude settings and image ignore patterns: `**` (any
 * number of path segments), `*` (anything but `/`), `?` (one character but `/`) and `{a,b}`.
 * Patterns are compiled once; matching is a single regular-expression test.
 */

/** Compiles a glob into an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches everything below.
        const slashFollows = glob[i + 2] === '/';
        source += slashFollows ? '(?:.*/)?' : '.*';
        i += slashFollows ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') source += '[^/]';
    else if (char === '{') {
      braceDepth++;
      source += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (char === ',' && braceDepth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Returns a predicate that is true when the text matches any of the globs (false for an empty list). */
export function globMatcher(globs: readonly string[]): (text: string) => boolean {
  const compiled = globs.map(globToRegExp);
  return (text) => compiled.some((re) => re.test(text));
}
