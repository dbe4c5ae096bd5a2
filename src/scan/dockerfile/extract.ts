/**
 * Extracts the images a Dockerfile pulls: `FROM`, `COPY --from`, `RUN --mount=...,from=`, `ONBUILD`
 * triggers and the `# syntax=` frontend. Pure: text in, occurrences and diagnostics out.
 * See readme.md for what is and is not extracted.
 */
import { errorMessage } from '../../errors.js';
import { sameRepository, tryParseReference, variablesIn } from '../../reference/index.js';
import { quoteText } from '../../util/quote.js';
import { notMirroredReason } from '../placeholders.js';
import type { Diagnostic, ExtractResult, ImageOccurrence, OccurrenceKind, Severity } from '../types.js';
import { type Binding, expandWord, type Origin, type Scope } from './expand.js';
import { type Instruction, type Lexed, leadingWord, lexDockerfile, sourceSpan } from './lexer.js';
import { positionAt } from './lines.js';
import { rewritablePart } from './parts.js';
import { type Piece, readFlags, splitOptions, splitWords, unquote } from './words.js';

interface Context {
  content: string;
  file: string;
  lexed: Lexed;
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
  /** ARGs declared before the first FROM: the only ones a FROM line can see. */
  globals: Map<string, Binding>;
  /** ARGs of the current stage; undefined before the first FROM. */
  stage: Map<string, Binding> | undefined;
  /** Stage names (lower-cased) defined so far: a FROM can only build on an earlier stage. */
  earlierStages: Set<string>;
  /** Every stage name in the file: `COPY --from` and mounts may name any stage. */
  allStages: Set<string>;
}

/** One word that may name an image, with everything needed to judge and report it. */
interface Candidate {
  /** The word as written (quotes and variables included, continuations removed). */
  text: string;
  start: number;
  end: number;
  kind: OccurrenceKind;
  /** How messages name the construct, e.g. `COPY --from`. */
  label: string;
  scope: Scope;
  /** Names that mean a build stage here rather than an image. */
  stages: ReadonlySet<string>;
  /** An ONBUILD trigger: variables and bare names belong to the downstream build. */
  downstream: boolean;
}

const EMPTY_SCOPE: Scope = new Map();
const STAGE_NAME = /\s[Aa][Ss]\s+(\S+)\s*$/;
/** A Dockerfile with neither word cannot hold an image; skipping it avoids the full pass. */
const MAY_HOLD_IMAGE = /from|syntax/i;

/** Extracts the image occurrences of one Dockerfile. Never throws: problems become diagnostics. */
export function extractDockerfile(content: string, file: string): ExtractResult {
  try {
    if (!MAY_HOLD_IMAGE.test(content)) return { occurrences: [], diagnostics: [] };
    return extract(content, file);
  } catch (err: unknown) {
    // A bug here must cost one file, not the scan.
    const message = `could not read Dockerfile: ${errorMessage(err)}`;
    return { occurrences: [], diagnostics: [{ file, line: 0, severity: 'error', message }] };
  }
}

function extract(content: string, file: string): ExtractResult {
  const lexed = lexDockerfile(content);
  const ctx: Context = {
    content,
    file,
    lexed,
    occurrences: [],
    diagnostics: lexed.problems.map((p) => ({ file, line: p.line, severity: 'warning', message: p.message })),
    globals: new Map(),
    stage: undefined,
    earlierStages: new Set(),
    allStages: new Set(),
  };
  for (const instruction of lexed.instructions) {
    if (instruction.keyword !== 'FROM') continue;
    const name = stageName(instruction);
    if (name !== undefined) ctx.allStages.add(name);
  }
  reportSyntaxDirective(ctx);
  for (const instruction of lexed.instructions) handleInstruction(ctx, instruction, false);
  return { occurrences: ctx.occurrences, diagnostics: ctx.diagnostics };
}

function stageName(instruction: Instruction): string | undefined {
  return STAGE_NAME.exec(instruction.text.slice(instruction.argsStart))?.[1]?.toLowerCase();
}

function handleInstruction(ctx: Context, instruction: Instruction, downstream: boolean): void {
  switch (instruction.keyword) {
    case 'ARG':
      if (!downstream) handleArg(ctx, instruction);
      return;
    case 'FROM':
      if (downstream) {
        const message = 'ONBUILD FROM is not allowed by Docker; its image is not reported';
        diagnose(ctx, instruction.line, 'warning', message);
      } else handleFrom(ctx, instruction);
      return;
    case 'COPY':
      if (instruction.text.includes('--', instruction.argsStart)) handleCopy(ctx, instruction, downstream);
      return;
    case 'RUN':
      // Most RUN lines are long shell scripts: only split the ones that can carry a mount.
      if (instruction.text.includes('--mount', instruction.argsStart))
        handleRun(ctx, instruction, downstream);
      return;
    case 'ONBUILD':
      if (!downstream) handleInstruction(ctx, onbuildTrigger(instruction), true);
      return;
  }
}

function onbuildTrigger(instruction: Instruction): Instruction {
  const trigger = leadingWord(instruction.text.slice(instruction.argsStart));
  return {
    ...instruction,
    keyword: trigger.keyword.toUpperCase(),
    argsStart: instruction.argsStart + trigger.end,
  };
}

function handleArg(ctx: Context, instruction: Instruction): void {
  const scope = ctx.stage ?? ctx.globals;
  for (const word of splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar)) {
    const equals = word.text.indexOf('=');
    const name = equals < 0 ? word.text : word.text.slice(0, equals);
    if (equals < 0) {
      // Inside a stage, a bare `ARG NAME` brings the global ARG (and its default) into scope.
      const inherited = ctx.stage ? ctx.globals.get(name) : undefined;
      scope.set(name, inherited ?? { value: undefined, origin: undefined });
    } else {
      const piece = { text: word.text.slice(equals + 1), start: word.start + equals + 1 };
      scope.set(name, bindDefault(ctx, instruction, piece, scope));
    }
  }
}

/** The binding of `ARG NAME=default`: the default expanded with the ARGs declared before it. */
function bindDefault(ctx: Context, instruction: Instruction, piece: Piece, scope: Scope): Binding {
  const expansion = expandWord(piece.text, scope, ctx.lexed.escapeChar);
  if (!expansion.ok) return { value: undefined, origin: undefined, reason: expansion.cause };
  if (expansion.whole?.origin) return { value: expansion.value, origin: expansion.whole.origin };
  const inner = unquote(piece);
  if (inner.text === '') return { value: expansion.value, origin: undefined };
  const part = inner.text.includes('$') ? partOrigin(ctx, instruction, inner, scope) : undefined;
  if (part) return { value: expansion.value, origin: part };
  const span = sourceSpan(instruction, inner.start, inner.start + inner.text.length);
  const origin: Origin = { ...span, value: expansion.value };
  return { value: expansion.value, origin };
}

function handleFrom(ctx: Context, instruction: Instruction): void {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  const { next } = readFlags(words, 0);
  const image = words[next];
  if (image === undefined) diagnose(ctx, instruction.line, 'warning', 'FROM without an image');
  else {
    const candidate: Candidate = {
      ...image,
      kind: 'dockerfile-from',
      label: 'FROM',
      scope: ctx.globals,
      stages: ctx.earlierStages,
      downstream: false,
    };
    reportImage(ctx, instruction, candidate);
  }
  ctx.stage = new Map();
  const name = stageName(instruction);
  if (name !== undefined) ctx.earlierStages.add(name);
}

function handleCopy(ctx: Context, instruction: Instruction, downstream: boolean): void {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  for (const flag of readFlags(words, 0).flags) {
    if (flag.name !== 'from' || flag.value === undefined) continue;
    const piece = unquote({ text: flag.value, start: flag.valueStart });
    const label = downstream ? 'ONBUILD COPY --from' : 'COPY --from';
    const kind = downstream ? 'dockerfile-onbuild' : 'dockerfile-copy-from';
    reportStageOrImage(ctx, instruction, piece, { kind, label, downstream });
  }
}

function handleRun(ctx: Context, instruction: Instruction, downstream: boolean): void {
  const words = splitWords(instruction.text, instruction.argsStart, ctx.lexed.escapeChar);
  for (const flag of readFlags(words, 0).flags) {
    if (flag.name !== 'mount' || flag.value === undefined) continue;
    const mount = unquote({ text: flag.value, start: flag.valueStart });
    for (const option of splitOptions(mount.text, mount.start)) {
      const equals = option.text.indexOf('=');
      if (equals < 0 || option.text.slice(0, equals).trim().toLowerCase() !== 'from') continue;
      const piece = unquote({ text: option.text.slice(equals + 1), start: option.start + equals + 1 });
      const label = downstream ? 'ONBUILD RUN --mount from' : 'RUN --mount from';
      const kind = downstream ? 'dockerfile-onbuild' : 'dockerfile-mount-from';
      reportStageOrImage(ctx, instruction, piece, { kind, label, downstream });
    }
  }
}

function reportStageOrImage(
  ctx: Context,
  instruction: Instruction,
  piece: Piece,
  how: { kind: OccurrenceKind; label: string; downstream: boolean },
): void {
  // `--from=0` names a stage by index: never an image.
  if (piece.text === '' || /^\d+$/.test(piece.text)) return;
  const scope = how.downstream ? EMPTY_SCOPE : (ctx.stage ?? EMPTY_SCOPE);
  const end = piece.start + piece.text.length;
  reportImage(ctx, instruction, { ...piece, end, ...how, scope, stages: ctx.allStages });
}

function reportSyntaxDirective(ctx: Context): void {
  const directive = ctx.lexed.directives.find((d) => d.name === 'syntax');
  if (directive === undefined || directive.value === '') return;
  const value = directive.value;
  const reference = tryParseReference(value);
  if (!reference.ok) {
    diagnose(ctx, directive.line, 'error', `syntax directive ${quoteText(value)}: ${reference.reason}`);
    return;
  }
  const at = { start: directive.start, end: directive.end, value };
  addOccurrence(ctx, 'dockerfile-syntax', at, reference.reference);
}

function reportImage(ctx: Context, instruction: Instruction, candidate: Candidate): void {
  const { text, label } = candidate;
  const span = sourceSpan(instruction, candidate.start, candidate.end);
  const line = positionAt(ctx.lexed.lines, span.start).line;
  const expansion = expandWord(text, candidate.scope, ctx.lexed.escapeChar);
  if (!expansion.ok) {
    const why = candidate.downstream
      ? 'ONBUILD variables are resolved by the downstream build'
      : expansion.reason;
    diagnose(ctx, line, 'warning', `${label} ${quoteText(text)}: ${why}; not reported`);
    return;
  }
  const value = expansion.value;
  const lower = value.toLowerCase();
  if (lower === 'scratch' || candidate.stages.has(lower)) return;
  if (candidate.downstream && !/[:/@]/.test(value)) {
    const message = `${label} ${quoteText(text)} may name a stage of the downstream build; not reported`;
    diagnose(ctx, line, 'notice', message);
    return;
  }
  const notMirrored = notMirroredReason(value);
  if (notMirrored) {
    diagnose(ctx, line, 'notice', `${label} ${quoteText(value)} ${notMirrored}`);
    return;
  }
  const parsed = tryParseReference(value);
  if (!parsed.ok) {
    const expanded = value === text ? '' : ` (expands to ${quoteText(value)})`;
    diagnose(ctx, line, 'error', `${label} ${quoteText(text)}${expanded}: ${parsed.reason}`);
    return;
  }
  const origin =
    expansion.whole?.origin ??
    (text.includes('$') ? partOrigin(ctx, instruction, candidate, candidate.scope) : undefined);
  if (origin && (origin.part !== 'name' || sameRepository(origin.value, parsed.reference)))
    addOccurrence(ctx, candidate.kind, origin, parsed.reference);
  else addOccurrence(ctx, candidate.kind, { ...span, value: text }, parsed.reference);
}

/**
 * The rewritable part of a word built from variables (parts.ts) as a source span, or undefined.
 * `piece` indexes the instruction's joined text; a line continuation inside the part would make
 * the source text differ from it, and then the whole word is kept (and reported not rewritable).
 */
function partOrigin(ctx: Context, instruction: Instruction, piece: Piece, scope: Scope): Origin | undefined {
  const part = rewritablePart(piece.text, scope, ctx.lexed.escapeChar);
  if (!part) return undefined;
  const span = sourceSpan(instruction, piece.start + part.start, piece.start + part.end);
  const value = piece.text.slice(part.start, part.end);
  if (ctx.content.slice(span.start, span.end) !== value) return undefined;
  if (part.type !== 'name') return { ...span, value };
  return { ...span, value, part: 'name', variables: variablesIn(piece.text.slice(part.end)) };
}

function addOccurrence(
  ctx: Context,
  kind: OccurrenceKind,
  at: Origin,
  reference: ImageOccurrence['reference'],
): void {
  const { lines } = ctx.lexed;
  const scalar = { start: at.start, end: at.end, style: 'dockerfile' as const, value: at.value };
  ctx.occurrences.push({
    file: ctx.file,
    kind,
    start: positionAt(lines, at.start),
    end: positionAt(lines, at.end),
    raw: ctx.content.slice(at.start, at.end),
    reference,
    target:
      at.part === 'name'
        ? { type: 'name', scalar, variables: at.variables ?? [] }
        : { type: 'scalar', scalar, prefix: '' },
  });
}

function diagnose(ctx: Context, line: number, severity: Severity, message: string): void {
  ctx.diagnostics.push({ file: ctx.file, line, severity, message });
}
