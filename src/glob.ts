/**
 * Minimal glob matching for include/exclude settings and image ignore patterns: `**` (any
 * number of path segments), `*` (anything but `/`), `?` (one character but `/`) and `{a,b}`.
 * Patterns are compiled once; matching is a single regular-expression test.
 */
import { ConfigError } from './errors.js';

/**
 * Compiles a glob into an anchored regular expression. Unbalanced braces are a ConfigError
 * naming `setting` (the input, flag or key the glob came from). Default setting: `glob`.
 */
export function globToRegExp(glob: string, setting = 'glob'): RegExp {
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
    } else if (char === '}') {
      if (braceDepth === 0) throw unbalanced(glob, setting);
      braceDepth--;
      source += ')';
    } else if (char === ',' && braceDepth > 0) source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  // An open `{` would leave an open group: new RegExp would throw a bare SyntaxError.
  if (braceDepth > 0) throw unbalanced(glob, setting);
  return new RegExp(`^${source}$`);
}

function unbalanced(glob: string, setting: string): ConfigError {
  return new ConfigError(`${setting}: "${glob}" has unbalanced braces; expected {a,b} pairs`);
}

/**
 * Returns a predicate that is true when the text matches any of the globs (false for an empty
 * list). `setting` names where the globs came from in errors. Default: `glob`.
 */
export function globMatcher(globs: readonly string[], setting = 'glob'): (text: string) => boolean {
  const compiled = globs.map((glob) => globToRegExp(glob, setting));
  return (text) => compiled.some((re) => re.test(text));
}
