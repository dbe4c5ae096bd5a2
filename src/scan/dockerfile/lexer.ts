/**
 * Splits a Dockerfile into logical instructions by BuildKit's rules
 * (https://github.com/moby/buildkit/blob/master/frontend/dockerfile/parser/parser.go):
 * parser directives at the top, continuation lines ending in the escape character, comment and
 * empty lines dropped inside a continuation, and heredoc bodies (`<<EOF`, `<<-EOF`, `<< 'EOF'`)
 * consumed as data so nothing inside them is ever read as an instruction.
 * Every step is one pass over the lines, so hostile input costs linear time.
 */
import { quoteText } from '../../util/quote.js';
import { indexLines, type LineIndex } from './lines.js';
import { splitWords, type Word } from './words.js';

/** One stretch of source that contributes to a logical line. */
interface Segment {
  /** Index of the segment's first character in the joined text. */
  textStart: number;
  /** Offset of the same character in the source. */
  sourceStart: number;
  length: number;
}

/** One logical instruction: its keyword and its text with continuations joined. */
export interface Instruction {
  /** Upper-cased keyword (`FROM`, `ARG`, ...). */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  /** The logical line: continuation escapes removed, interleaved comment lines dropped. */
  text: string;
  /** Index in `text` just after the keyword. */
  argsStart: number;
  segments: Segment[];
}

/** A parser directive (`# syntax=...`, `# escape=...`) with the source span of its value. */
export interface Directive {
  /** Lower-cased directive name. */
  name: string;
  value: string;
  start: number;
  end: number;
  line: number;
}

/** A problem found while splitting the file. */
export interface LexProblem {
  line: number;
  message: string;
}

/** The lexer's output. */
export interface Lexed {
  instructions: Instruction[];
  directives: Directive[];
  /** The escape character in effect: `\` unless `# escape=` says otherwise. */
  escapeChar: string;
  lines: LineIndex;
  problems: LexProblem[];
}

// BuildKit trims the blanks in front of a directive's `#` before matching it (parser.go processLine).
const DIRECTIVE = /^[ \t]*#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.*?)[ \t]*$/d;
/** Every Dockerfile instruction: a keyword that is not one of these fails the build. */
const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC = /^\d*<<(-?)(.*)$/s;

/** Splits a Dockerfile into directives and logical instructions. Never throws. */
export function lexDockerfile(content: string): Lexed {
  const lines = indexLines(content);
  const problems: LexProblem[] = [];
  const { directives, escapeChar } = readDirectives(content, lines, problems);
  const instructions: Instruction[] = [];
  const count = lines.starts.length;
  let i = 0;
  while (i < count) {
    if (isBlankOrComment(content, lines, i)) {
      i++;
      continue;
    }
    const { instruction, lastLine } = readInstruction(content, lines, i, escapeChar);
    i = lastLine + 1;
    const joined = joinedKeyword(content, instruction);
    if (joined) problems.push({ line: instruction.line, message: joined });
    if (instruction.keyword === '') continue;
    instructions.push(instruction);
    for (const heredoc of findHeredocs(instruction, escapeChar)) {
      const end = skipHeredoc(content, lines, i, heredoc);
      if (end < 0) {
        problems.push({
          line: instruction.line,
          message: `unterminated heredoc <<${quoteText(heredoc.name)}`,
        });
        i = count;
      } else i = end + 1;
    }
  }
  return { instructions, directives, escapeChar, lines, problems };
}

function readDirectives(
  content: string,
  lines: LineIndex,
  problems: LexProblem[],
): { directives: Directive[]; escapeChar: string } {
  const directives: Directive[] = [];
  let escapeChar = '\\';
  for (let i = 0; i < lines.starts.length; i++) {
    const start = lines.starts[i] as number;
    const match = DIRECTIVE.exec(content.slice(start, lines.ends[i]));
    if (!match) break;
    const name = (match[1] as string).toLowerCase();
    // An unknown or repeated directive ends the directive block: BuildKit reads the rest as comments.
    if (!KNOWN_DIRECTIVES.has(name) || directives.some((d) => d.name === name)) break;
    const value = match[2] as string;
    const valueStart = start + (match.indices?.[2]?.[0] ?? 0);
    directives.push({ name, value, start: valueStart, end: valueStart + value.length, line: i + 1 });
    if (name === 'escape') {
      if (value === '\\' || value === '`') escapeChar = value;
      else
        problems.push({
          line: i + 1,
          message: `invalid escape directive ${quoteText(value)} (expected \\ or \`)`,
        });
    }
  }
  return { directives, escapeChar };
}

function isBlankOrComment(content: string, lines: LineIndex, line: number): boolean {
  const end = lines.ends[line] as number;
  for (let p = lines.starts[line] as number; p < end; p++) {
    const code = content.charCodeAt(p);
    if (code === 32 || code === 9 || code === 13 || code === 12 || code === 11) continue;
    return code === 35;
  }
  return true;
}

/** Offset of the continuation escape when the line ends with it (plus optional blanks), else -1. */
function continuationAt(content: string, start: number, end: number, escapeChar: string): number {
  let p = end - 1;
  while (p >= start && (content.charCodeAt(p) === 32 || content.charCodeAt(p) === 9)) p--;
  return p >= start && content[p] === escapeChar ? p : -1;
}

function readInstruction(
  content: string,
  lines: LineIndex,
  first: number,
  escapeChar: string,
): { instruction: Instruction; lastLine: number } {
  const segments: Segment[] = [];
  const parts: string[] = [];
  let length = 0;
  let line = first;
  for (;;) {
    const start = lines.starts[line] as number;
    const end = lines.ends[line] as number;
    const escapeAt = continuationAt(content, start, end, escapeChar);
    const stop = escapeAt < 0 ? end : escapeAt;
    if (stop > start) {
      segments.push({ textStart: length, sourceStart: start, length: stop - start });
      parts.push(content.slice(start, stop));
      length += stop - start;
    }
    if (escapeAt < 0) break;
    // Comment and empty lines inside a continuation are dropped, as BuildKit does.
    let next = line + 1;
    while (next < lines.starts.length && isBlankOrComment(content, lines, next)) next++;
    if (next >= lines.starts.length) break;
    line = next;
  }
  const text = parts.join('');
  const words = leadingWord(text);
  return {
    instruction: {
      keyword: words.keyword.toUpperCase(),
      line: first + 1,
      text,
      argsStart: words.end,
      segments,
    },
    lastLine: line,
  };
}

/**
 * Why an instruction is lost when a line ends in the escape character right after its keyword
 * (`FROM\` then `alpine`): the next line joins the keyword into an unknown one (`FROMALPINE`),
 * which BuildKit refuses and every reader of the file would drop without a word. Undefined for
 * anything else.
 */
function joinedKeyword(content: string, instruction: Instruction): string | undefined {
  const [first] = instruction.segments;
  if (KEYWORDS.has(instruction.keyword) || first === undefined || instruction.segments.length < 2) return;
  const written = content.slice(first.sourceStart, first.sourceStart + first.length).trim();
  if (!/^[A-Za-z]+$/.test(written) || !KEYWORDS.has(written.toUpperCase())) return;
  const joined = /^\s*(\S+)/.exec(instruction.text)?.[1] ?? written;
  return `"${written}" is followed by a line continuation, so the next line joins the keyword into the unknown instruction ${quoteText(joined, 40)}, which BuildKit refuses; not read (put a space before the escape character)`;
}

/** The keyword at the start of `text` and the index just after it (`''` when there is none). */
export function leadingWord(text: string): { keyword: string; end: number } {
  const match = /^[ \t\f\v]*([A-Za-z]+)(?=\s|$)/.exec(text);
  if (!match) return { keyword: '', end: 0 };
  return { keyword: match[1] as string, end: match[0].length };
}

interface Heredoc {
  name: string;
  chomp: boolean;
}

/** The heredocs an instruction opens, in order (BuildKit reads their bodies one after another). */
function findHeredocs(instruction: Instruction, escapeChar: string): Heredoc[] {
  let from = instruction.argsStart;
  let keyword = instruction.keyword;
  if (keyword === 'ONBUILD') {
    const trigger = leadingWord(instruction.text.slice(from));
    keyword = trigger.keyword.toUpperCase();
    from += trigger.end;
  }
  if (!HEREDOC_KEYWORDS.has(keyword) || !instruction.text.includes('<<', from)) return [];
  if (/^\s*\[.*\]\s*$/s.test(instruction.text.slice(from))) return []; // JSON form: no heredocs.
  const words = splitWords(instruction.text, from, escapeChar);
  const heredocs: Heredoc[] = [];
  for (let i = 0; i < words.length; i++) {
    const match = HEREDOC.exec((words[i] as Word).text);
    if (!match) continue;
    let rest = match[2] as string;
    // BuildKit's lexer joins `<< EOF` into one word.
    if (rest === '' && i + 1 < words.length) rest = (words[++i] as Word).text;
    if (rest === '' || rest.includes('<')) continue;
    const name = heredocName(rest, escapeChar);
    if (name !== '') heredocs.push({ name, chomp: match[1] === '-' });
  }
  return heredocs;
}

/** The terminator word: quotes removed, escaped characters kept literally. */
function heredocName(word: string, escapeChar: string): string {
  let name = '';
  for (let i = 0; i < word.length; i++) {
    const char = word[i] as string;
    if (char === escapeChar && i + 1 < word.length) name += word[++i];
    else if (char !== '"' && char !== "'") name += char;
  }
  return name;
}

/** Index of the line that ends the heredoc starting at `first`, or -1 when it is never closed. */
function skipHeredoc(content: string, lines: LineIndex, first: number, heredoc: Heredoc): number {
  for (let i = first; i < lines.starts.length; i++) {
    let start = lines.starts[i] as number;
    const end = lines.ends[i] as number;
    if (heredoc.chomp) while (start < end && content.charCodeAt(start) === 9) start++;
    if (end - start === heredoc.name.length && content.startsWith(heredoc.name, start)) return i;
  }
  return -1;
}

/** Maps an index of an instruction's joined text back to a source offset. */
export function sourceOffset(instruction: Instruction, index: number): number {
  const { segments } = instruction;
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((segments[mid] as Segment).textStart <= index) low = mid;
    else high = mid - 1;
  }
  const segment = segments[low] as Segment;
  return segment.sourceStart + (index - segment.textStart);
}

/** Source span of `[start, end)` in an instruction's joined text (end exclusive, non-empty). */
export function sourceSpan(
  instruction: Instruction,
  start: number,
  end: number,
): { start: number; end: number } {
  return { start: sourceOffset(instruction, start), end: sourceOffset(instruction, end - 1) + 1 };
}
