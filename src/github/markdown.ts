/**
 * The one place outside text becomes GitHub markdown. Image names, file names, platforms, error
 * text from registries, branch names and titles are hostile: rendered raw they could mention
 * people or teams (`@org/team`), link or embed images (`![x](http://evil)`), inject HTML
 * (`<img src=x>`), break out of a table row (`|`, newlines) or close a code span (backticks).
 * Every renderer (sticky comment, job summary, refresh pull request, review bodies) goes through
 * these functions; each returns text that renders as the literal input and nothing more, with
 * the process's secrets masked first (src/secrets.ts). Pure but for that mask.
 */

import { processSecrets } from '../secrets.js';

/** Zero-width space, as an entity: after `@`, `#` or `:` it breaks GitHub's mention, issue and autolink filters. */
const BREAK = '&#8203;';

/** Longest outside string shown in one place; longer text is cut with `…`. Default of the `max` options. */
export const MAX_INLINE_LENGTH = 500;

/** Options shared by the escaping functions. */
export interface InlineOptions {
  /** The text goes into a GFM table cell, where `|` must be escaped even inside code spans. Default: false. */
  table?: boolean;
  /** Cut the text to this many characters (before escaping). Default: MAX_INLINE_LENGTH. */
  max?: number;
}

/** Control characters (C0, DEL, C1), line and paragraph separators: a rendered line never breaks or hides text. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * One line of plain text: secrets masked, control characters (newlines included) become one
 * space, then the length cap. Masking comes first: escaping or cutting a secret would leave text
 * its mask no longer matches when the GitHub client redacts what it posts.
 */
export function flattenLine(text: string, max = MAX_INLINE_LENGTH): string {
  const flat = processSecrets.redact(text).replace(CONTROL, ' ');
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1))}…` : flat;
}

/**
 * An inline code span holding `text` literally: the fence is one backtick longer than the longest
 * backtick run inside, padded with spaces when the text starts or ends with a backtick (or is all
 * spaces). Markdown, HTML, mentions and links are not interpreted inside a code span.
 */
export function codeSpan(text: string, options: InlineOptions = {}): string {
  let body = flattenLine(text, options.max);
  if (options.table) body = body.replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const needsPadding = body.startsWith('`') || body.endsWith('`') || /^ *$/.test(body);
  const padded = needsPadding ? ` ${body} ` : body;
  return `${fence}${padded}${fence}`;
}

/**
 * Characters that open or close an inline markdown construct anywhere in a line; each is
 * backslash-escaped. An underscore between two letters or digits opens nothing in GFM
 * (`pull_request_target` stays as written); any other underscore is escaped.
 */
const PUNCTUATION = /[\\`*[\]|~$#]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g;

/**
 * Plain prose that may hold outside text, made inert: HTML special characters become entities,
 * inline markdown punctuation is backslash-escaped (and a list, heading or quote marker at the
 * start), and `@`, `#` and `://` are broken with a zero-width space so GitHub links no mention,
 * team, issue or URL. Newlines become spaces; leading blanks (an indented code block) are dropped.
 */
export function inertText(text: string, options: InlineOptions = {}): string {
  return flattenLine(text, options.max)
    .trimStart()
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(PUNCTUATION, (char) => `\\${char}`)
    .replace(/^[-+=]/, (char) => `\\${char}`)
    .replace(/^(\d+)([.)])/, '$1\\$2')
    .replace(/@/g, `@${BREAK}`)
    .replace(/\\#/g, `\\#${BREAK}`)
    .replace(/:\/\//g, `:${BREAK}//`)
    .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${BREAK}.`);
}

/**
 * A fenced code block whose fence is longer than any backtick run in `body`, so the body cannot
 * close it early. `info` (e.g. `suggestion`) must be our own word, never outside text.
 */
export function fencedBlock(body: string, info = ''): string {
  const longestRun = Math.max(2, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * A markdown link whose text is a code span and whose target is an `https:` (or, for a local
 * GitHub Enterprise server, `http:`) URL without characters that could end the link early;
 * anything else renders as the code span alone.
 */
export function codeLink(text: string, url: string, options: InlineOptions = {}): string {
  const span = codeSpan(text, options);
  return isSafeUrl(url) ? `[${span}](${url})` : span;
}

/** True for an absolute http(s) URL with no whitespace, quotes, brackets or backslashes. */
export function isSafeUrl(url: string): boolean {
  if (!/^https?:\/\/[^\s"'<>()[\]\\`|]+$/.test(url)) return false;
  try {
    return new URL(url).protocol.startsWith('http');
  } catch {
    return false;
  }
}

/**
 * A hidden HTML comment carrying `payload`, which must already be in a comment-safe alphabet
 * (base64); anything else throws, so outside text can never end the comment early.
 */
export function hiddenComment(label: string, payload: string): string {
  if (!/^[a-z-]+$/.test(label) || !/^[A-Za-z0-9+/=]*$/.test(payload))
    throw new Error('hidden comments hold only a lowercase label and base64');
  return `<!-- ${label} ${payload} -->`;
}
