/**
 * What happened to each reference's line, decided per occurrence (not per image: one image can be
 * committed in a Dockerfile and only suggested in a workflow file): committed in the follow-up
 * commit, suggested in a review, or left as is, with why. Annotations, the comment's status
 * column and the `mirrored` output read these. Pure.
 */
import type { Mode } from '../config.js';
import type { CommitResult, Suggestion } from '../github/types.js';
import type { ImageOccurrence } from '../scan/types.js';
import type { WriteBack } from './write-back.js';

/** The fate of one line. */
export type LineFate =
  | { kind: 'committed'; commit: CommitResult }
  | { kind: 'suggested'; why: string | undefined }
  | { kind: 'left'; why: string };

/** What decides the fates of a run's lines. */
export interface FateInputs {
  mode: Mode;
  /** Occurrences an edit was planned for. */
  edited: ReadonlySet<ImageOccurrence>;
  /** Occurrences that cannot be rewritten, with why. */
  notRewritten: ReadonlyMap<ImageOccurrence, string>;
  /** Files whose rewrite did not verify, with why. */
  rewriteFailures: ReadonlyMap<string, string>;
  written: WriteBack;
  /** Why nothing was committed, when the commit failed. */
  commitError: string | undefined;
}

const COPY_MODE = 'mode is copy, which writes nothing to the pull request';

/** The fate of `occurrence`'s line. */
export function lineFate(occurrence: ImageOccurrence, inputs: FateInputs): LineFate {
  const left = (why: string): LineFate => ({ kind: 'left', why });
  const { written } = inputs;
  const notRewritten = inputs.notRewritten.get(occurrence);
  if (notRewritten !== undefined) return left(notRewritten);
  if (inputs.mode === 'copy') return left(COPY_MODE);
  const failure = inputs.rewriteFailures.get(occurrence.file);
  if (failure !== undefined) return left(failure);
  if (!inputs.edited.has(occurrence)) return left('it needs no change');
  if (written.commit !== undefined && written.committedFiles.has(occurrence.file))
    return { kind: 'committed', commit: written.commit };
  if (written.placed.some((suggestion) => covers(suggestion, occurrence)))
    return { kind: 'suggested', why: written.suggestedWhy.get(occurrence.file) };
  const unplaced = written.unplacedWhy.get(occurrence.file);
  if (unplaced !== undefined) return left(unplaced);
  return left(inputs.commitError ?? 'nothing was written to the pull request');
}

/** True when the suggestion's head lines overlap the occurrence's lines. */
function covers(suggestion: Suggestion, occurrence: ImageOccurrence): boolean {
  if (suggestion.path !== occurrence.file) return false;
  const first = suggestion.startLine ?? suggestion.line;
  return first <= occurrence.end.line && suggestion.line >= occurrence.start.line;
}

/** The words a fate adds after "ar-mirror copied X to Y", for annotations. */
export function fatePhrase(fate: LineFate, note: string | undefined): string {
  if (fate.kind === 'committed') {
    const kept = note === undefined ? '' : `, keeping its variable tag; ${note}`;
    return ` and committed the rewrite of this line in ${fate.commit.oid.slice(0, 7)}${kept}`;
  }
  if (fate.kind === 'suggested')
    return ` and suggested the rewrite of this line in a review${fate.why === undefined ? '' : ` because ${fate.why}`}`;
  return `; this line was left as is: ${fate.why}`;
}

/** The status words for an image from the fates of its lines: `committed`, `suggested`, `left as is`. */
export function writtenWords(fates: readonly LineFate[]): string[] {
  const kinds = new Set(fates.map((fate) => fate.kind));
  return [
    ...(kinds.has('committed') ? ['committed'] : []),
    ...(kinds.has('suggested') ? ['suggested'] : []),
    ...(kinds.has('left') ? ['left as is'] : []),
  ];
}
