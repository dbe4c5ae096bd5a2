/**
 * The base images of a Dockerfile once build args are applied (`docker compose build` passes a
 * service's `build.args`; `docker build --build-arg` does the same). A build arg replaces the
 * default of the ARG it names; a `FROM` sees only the ARGs declared before the first `FROM`.
 * Only the images that change because of a build arg are returned: the others are what the
 * Dockerfile finder reports for the file itself.
 */

import { tryParseReference } from '../../reference/index.js';
import type { ImageReference } from '../../reference/types.js';
import { type Binding, expandWord } from './expand.js';
import { type Instruction, lexDockerfile } from './lexer.js';
import { readFlags, splitWords } from './words.js';

/** A base image that a build arg decides. */
export interface ArgImage {
  /** 1-based line of the FROM. */
  line: number;
  /** The image's text with the build args applied. */
  text: string;
  /** The image, or why the text is not one. */
  image: { reference: ImageReference } | { problem: string };
  /** The build arg whose value is the whole image (`FROM ${BASE_IMAGE}`), when one is. */
  wholeArg?: string;
  /** The build args the image's text used (directly or through other ARGs), in order of use. */
  args: string[];
}

const STAGE_NAME = /\s[Aa][Ss]\s+(\S+)\s*$/;

/** A scope that records which variables an expansion looked up. */
class RecordingScope extends Map<string, Binding> {
  readonly used: string[] = [];

  override get(name: string): Binding | undefined {
    this.used.push(name);
    return super.get(name);
  }
}

/** The FROM images of `content` that depend on one of `buildArgs`. Never throws. */
export function imagesWithBuildArgs(content: string, buildArgs: ReadonlyMap<string, string>): ArgImage[] {
  const lexed = lexDockerfile(content);
  const globals = new Map<string, Binding>();
  /** For each global ARG, the build args its value comes from. */
  const argsOf = new Map<string, string[]>();
  const overrides = new Map<Binding, string>();
  const stages = new Set<string>();
  const images: ArgImage[] = [];
  let inStage = false;
  for (const instruction of lexed.instructions) {
    if (instruction.keyword === 'ARG' && !inStage) {
      declareArgs(instruction, lexed.escapeChar, { globals, argsOf, overrides, buildArgs });
    } else if (instruction.keyword === 'FROM') {
      inStage = true;
      const image = fromImage(instruction, lexed.escapeChar, { globals, argsOf, overrides, stages });
      if (image) images.push(image);
      const name = STAGE_NAME.exec(instruction.text.slice(instruction.argsStart))?.[1]?.toLowerCase();
      if (name !== undefined) stages.add(name);
    }
  }
  return images;
}

interface ArgState {
  globals: Map<string, Binding>;
  argsOf: Map<string, string[]>;
  overrides: Map<Binding, string>;
}

function declareArgs(
  instruction: Instruction,
  escapeChar: string,
  state: ArgState & { buildArgs: ReadonlyMap<string, string> },
): void {
  for (const word of splitWords(instruction.text, instruction.argsStart, escapeChar)) {
    const equals = word.text.indexOf('=');
    const name = equals < 0 ? word.text : word.text.slice(0, equals);
    const given = state.buildArgs.get(name);
    if (given !== undefined) {
      const binding: Binding = { value: given, origin: undefined };
      state.globals.set(name, binding);
      state.overrides.set(binding, name);
      state.argsOf.set(name, [name]);
      continue;
    }
    if (equals < 0) {
      state.globals.set(name, { value: undefined, origin: undefined });
      state.argsOf.set(name, []);
      continue;
    }
    const scope = new RecordingScope(state.globals);
    const expansion = expandWord(word.text.slice(equals + 1), scope, escapeChar);
    state.globals.set(name, {
      value: expansion.ok ? expansion.value : undefined,
      origin: undefined,
      ...(expansion.ok ? {} : { reason: expansion.cause }),
    });
    state.argsOf.set(name, usedArgs(scope.used, state.argsOf));
  }
}

function fromImage(
  instruction: Instruction,
  escapeChar: string,
  state: ArgState & { stages: ReadonlySet<string> },
): ArgImage | undefined {
  const words = splitWords(instruction.text, instruction.argsStart, escapeChar);
  const word = words[readFlags(words, 0).next];
  if (word === undefined || !word.text.includes('$')) return undefined;
  const scope = new RecordingScope(state.globals);
  const expansion = expandWord(word.text, scope, escapeChar);
  const args = usedArgs(scope.used, state.argsOf);
  if (!expansion.ok || args.length === 0) return undefined;
  const lower = expansion.value.toLowerCase();
  if (lower === 'scratch' || state.stages.has(lower)) return undefined;
  const parsed = tryParseReference(expansion.value);
  const image = parsed.ok ? { reference: parsed.reference } : { problem: parsed.reason };
  const wholeArg = expansion.whole ? state.overrides.get(expansion.whole) : undefined;
  const found: ArgImage = { line: instruction.line, text: expansion.value, image, args };
  if (wholeArg !== undefined) found.wholeArg = wholeArg;
  return found;
}

/** The build args behind the variables an expansion used, each once, in order. */
function usedArgs(variables: readonly string[], argsOf: ReadonlyMap<string, string[]>): string[] {
  const args = new Set<string>();
  for (const variable of variables) for (const arg of argsOf.get(variable) ?? []) args.add(arg);
  return [...args];
}
