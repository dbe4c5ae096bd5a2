import { type Document, parseAllDocuments, type YAMLError } from 'yaml';
import { errorMessage } from '../../errors.js';
import type { Diagnostic } from '../types.js';
import { blankDocuments, parseDocuments } from './documents.js';
import { parseBlockYaml } from './fast-parse.js';
import { createLineIndex } from './position.js';

/** The documents of a YAML stream that parsed cleanly, and one diagnostic per broken document. */
export interface ParsedStream {
  documents: Document.Parsed[];
  diagnostics: Diagnostic[];
}

/**
 * Parses every document of a stream without converting it to JS: `toJS()` would expand aliases,
 * and a few kilobytes of nested aliases ("billion laughs") expand to gigabytes. Callers walk the
 * AST instead. Duplicate keys are tolerated (kubectl accepts them; the last one wins there, and
 * our lookups take the last one too). A document with errors is left out, since its tree may hold
 * half-parsed values; the parser recovers at the next `---`, so later documents are still read.
 *
 * `keep`, when given, is asked about each document's text of a multi-document stream first: a
 * document it rejects is neither parsed nor reported (its syntax errors included). Default: every
 * document is parsed.
 */
export function parseYamlStream(
  content: string,
  file: string,
  keep?: (document: string) => boolean,
): ParsedStream {
  // Each document on its own (documents.ts): the fast parser where it can, `yaml` where not.
  const documents = parseDocuments(content, keep);
  if (documents) return { documents, diagnostics: [] };
  const text = keep ? blankDocuments(content, keep) : content;
  // Plain block-style streams (most manifests) take fast-parse.ts, which builds the same nodes
  // several times faster and hands anything outside its subset back to `yaml`.
  const fast = parseBlockYaml(text);
  if (fast) return { documents: fast, diagnostics: [] };
  return parseWithYaml(text, file);
}

/** The `yaml` package's parse of a stream: every construct, and errors as diagnostics. */
export function parseWithYaml(content: string, file: string): ParsedStream {
  const diagnostics: Diagnostic[] = [];
  let parsed: Document.Parsed[];
  try {
    // prettyErrors builds a code frame for every error; only the first error's line is used.
    parsed = parseAllDocuments(content, { uniqueKeys: false, prettyErrors: false }) as Document.Parsed[];
  } catch (err: unknown) {
    // The parser turns its own stack overflows into document errors; this is a last resort.
    return {
      documents: [],
      diagnostics: [
        { file, line: 0, severity: 'error', message: `could not parse YAML: ${errorMessage(err)}` },
      ],
    };
  }
  const documents: Document.Parsed[] = [];
  for (const doc of parsed) {
    const first = doc.errors[0];
    if (first) diagnostics.push(syntaxDiagnostic(first, file, content));
    else documents.push(doc);
  }
  return { documents, diagnostics };
}

function syntaxDiagnostic(error: YAMLError, file: string, content: string): Diagnostic {
  const summary = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return {
    file,
    line: createLineIndex(content).positionAt(error.pos[0]).line,
    severity: 'error',
    message: `could not parse YAML: ${summary}`,
  };
}

/**
 * Cheap test run before parsing: false when none of `words` occurs in the text, so the file cannot
 * hold a key the caller looks for. A key can only hide its letters behind a double-quoted escape
 * (`"\u0069mage"`), so any backslash keeps the file in.
 */
export function mayContainKeys(content: string, words: readonly string[]): boolean {
  if (content.includes('\\')) return true;
  return words.some((word) => content.includes(word));
}

/**
 * True when `word` starts a line of `content` and the sticky regex `after` matches right after
 * it: what `/^word…/m` tests (a line starts after \n, \r, U+2028 or U+2029), without running a
 * regex from every character of the text.
 */
export function matchesAtLineStart(content: string, word: string, after: RegExp): boolean {
  for (let at = content.indexOf(word); at >= 0; at = content.indexOf(word, at + 1)) {
    const before = content.charCodeAt(at - 1);
    if (at > 0 && before !== 10 && before !== 13 && before !== 0x2028 && before !== 0x2029) continue;
    after.lastIndex = at + word.length;
    if (after.test(content)) return true;
  }
  return false;
}
