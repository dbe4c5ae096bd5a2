/**
 * Expected Dockerfile occurrences, built from the test's own text by plain string search (lines
 * and columns counted here, not by the finder), so a test states only the raw text it expects.
 */
import type { ImageReference } from '../../src/reference/index.js';
import type { ImageOccurrence, OccurrenceKind } from '../../src/scan/types.js';

/** A normalised reference with the given parts. */
export function ref(
  registry: string,
  repository: string,
  tag: string | undefined,
  digest?: string,
): ImageReference {
  return { registry, repository, tag, digest };
}

/** The variables a name target's tag uses: every `$NAME`/`${NAME` in the rest of the word after `end`. */
export function tagVariables(content: string, end: number): string[] {
  const word = /^[^\s"']*/.exec(content.slice(end))![0];
  return [...new Set([...word.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))];
}

/** 1-based line and column of an offset; a leading byte-order mark is not a column. */
export function position(content: string, offset: number): { line: number; column: number } {
  const before = content.slice(content.charCodeAt(0) === 0xfeff ? 1 : 0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1) as string).length + 1 };
}

/** Options of {@link at}. */
export interface AtOptions {
  /** Default: 'dockerfile-from'. */
  kind?: OccurrenceKind;
  /** Which appearance of `raw` (0-based). Default: 0. */
  nth?: number;
  /** The decoded value when it differs from `raw`. Default: `raw`. */
  value?: string;
  /** 'name' for the literal name before a variable tag. Default: the whole image. */
  part?: 'name';
  /** Default: 'Dockerfile'. */
  file?: string;
}

/** The expected occurrence for the `nth` appearance of `raw` in `content`. */
export function at(
  content: string,
  raw: string,
  reference: ImageReference,
  options: AtOptions = {},
): ImageOccurrence {
  let start = -1;
  for (let n = 0; n <= (options.nth ?? 0); n++) start = content.indexOf(raw, start + 1);
  if (start < 0) throw new Error(`"${raw}" not in content`);
  const end = start + raw.length;
  const scalar = { start, end, style: 'dockerfile' as const, value: options.value ?? raw };
  return {
    file: options.file ?? 'Dockerfile',
    kind: options.kind ?? 'dockerfile-from',
    start: position(content, start),
    end: position(content, end),
    raw,
    reference,
    target:
      options.part === 'name'
        ? { type: 'name', scalar, variables: tagVariables(content, end) }
        : { type: 'scalar', scalar, prefix: '' },
  };
}
