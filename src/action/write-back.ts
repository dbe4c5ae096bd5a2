/**
 * Write-back: one commit of every rewritten file on the pull-request branch, or review
 * suggestions. Workflow files the token may not change fall back to suggestions, and a refusal is
 * remembered (in the sticky comment's record), so later runs suggest those files straight away
 * instead of trying the commit again.
 */
import type { Mode } from '../config.js';
import { errorMessage } from '../errors.js';
import { WorkflowPermissionError } from '../github/errors.js';
import type { CommitResult, PullRequestInfo, Suggestion } from '../github/types.js';
import type { FileChange } from '../mirror/rewrite-files.js';
import { formatReference } from '../reference/index.js';
import type { ImageOccurrence } from '../scan/types.js';
import type { ActionEnvironment } from './environment.js';
import type { Round } from './steps.js';
import { suggestionsFor } from './suggestions.js';

/** What write-back did, file by file. */
export interface WriteBack {
  commit: CommitResult | undefined;
  /** Files whose rewrite is in the commit. */
  committedFiles: Set<string>;
  /** Suggestions on the pull request now (posted by this run or left by an earlier one). */
  placed: Suggestion[];
  /** Why a file's change was suggested instead of committed, when it was not the mode's choice. */
  suggestedWhy: Map<string, string>;
  /** Why a file's change (or part of it) could not be suggested. */
  unplacedWhy: Map<string, string>;
  /** Workflow files GitHub refused to let the token change, on this run or remembered from an earlier one. */
  refusedWorkflowFiles: string[];
  notes: string[];
  /** Set when the review failed after the commit (if any) had landed: the commit still stands. */
  error?: string;
}

const WORKFLOWS = '.github/workflows/';
const REFUSED_NOW =
  'the token may not change files under .github/workflows/ (it needs the workflows permission)';
const REFUSED_BEFORE =
  'GitHub refused this workflow file on an earlier run (the token needs the workflows permission)';
const OUTSIDE_DIFF = 'the line is outside the pull request diff, where GitHub accepts no suggestions';

/** A WriteBack where nothing was written. */
export function nothingWritten(): WriteBack {
  return {
    commit: undefined,
    committedFiles: new Set(),
    placed: [],
    suggestedWhy: new Map(),
    unplacedWhy: new Map(),
    refusedWorkflowFiles: [],
    notes: [],
  };
}

/**
 * Commits every rewritten file in one commit on the PR branch (expectedHeadOid = the scanned
 * head), or posts suggestions. Files in `refused` (remembered refusals) and workflow files the
 * token turns out not to be allowed to change go to suggestions. Throws BranchMovedError for the
 * caller to retry, and any other error that leaves nothing written; a failed review is returned
 * in `error`, with the commit that did land.
 */
export async function writeBack(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  mode: Mode,
  round: Round,
  refused: readonly string[],
): Promise<WriteBack> {
  const result = nothingWritten();
  const remembered = new Set(refused.filter((file) => file.startsWith(WORKFLOWS)));
  result.refusedWorkflowFiles = [...remembered];
  let toSuggest: FileChange[] = mode === 'suggest' ? round.changes : [];
  if (mode === 'commit') {
    toSuggest = round.changes.filter((c) => remembered.has(c.file));
    for (const change of toSuggest) result.suggestedWhy.set(change.file, REFUSED_BEFORE);
    let toCommit = round.changes.filter((c) => !remembered.has(c.file));
    try {
      if (toCommit.length > 0) result.commit = await commit(env, pr, round, toCommit);
    } catch (err) {
      if (!(err instanceof WorkflowPermissionError)) throw err;
      const workflows = toCommit.filter((c) => c.file.startsWith(WORKFLOWS));
      toCommit = toCommit.filter((c) => !c.file.startsWith(WORKFLOWS));
      for (const change of workflows) result.suggestedWhy.set(change.file, REFUSED_NOW);
      toSuggest = [...toSuggest, ...workflows];
      result.refusedWorkflowFiles.push(...workflows.map((c) => c.file));
      if (toCommit.length > 0) result.commit = await commit(env, pr, round, toCommit);
    }
    for (const change of toCommit) result.committedFiles.add(change.file);
    if (result.suggestedWhy.size > 0)
      result.notes.push(`${REFUSED_NOW}, so those references are suggested in a review instead`);
  }
  if (toSuggest.length > 0) await suggestAll(env, pr, round, toSuggest, result);
  return result;
}

/** Posts the suggestions of `changes` and records what GitHub placed; a failure is kept in `error`. */
async function suggestAll(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  round: Round,
  changes: FileChange[],
  result: WriteBack,
): Promise<void> {
  try {
    const review = await suggest(env, pr, round, changes, result.commit?.oid ?? pr.headSha);
    result.placed.push(...review.posted, ...review.existing);
    for (const skipped of review.skipped) result.unplacedWhy.set(skipped.path, OUTSIDE_DIFF);
    if (review.skipped.length > 0)
      result.notes.push(
        'some rewritten lines are outside the pull request diff, where GitHub accepts no suggestions',
      );
  } catch (err) {
    // Throwing here would lose a commit that has already landed (its sha, what it rewrote).
    result.error = `could not post the review suggestions: ${errorMessage(err)}`;
    for (const change of changes) result.unplacedWhy.set(change.file, result.error);
  }
}

async function commit(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  round: Round,
  changes: FileChange[],
): Promise<CommitResult> {
  const boms = new Map(round.files.map((f) => [f.path, f.bom]));
  const sources = [...new Set(changes.flatMap((c) => [...(round.sourcesByFile.get(c.file) ?? [])]))].sort();
  const lines = sources.map((source) => {
    const outcome = round.outcomes.get(source);
    if (outcome?.status === 'mirrored')
      return `- ${source} → ${outcome.job.destination}@${outcome.result.digest}`;
    const backfill = round.backfill.find((b) => formatReference(b.item.mirror) === source);
    return backfill?.status === 'copied'
      ? `- ${source}: copied from ${formatReference(backfill.item.source)} and pinned to ${backfill.result.digest}`
      : `- ${source}`;
  });
  const headline = `Use mirrored images for ${sources.length} image${sources.length === 1 ? '' : 's'}`;
  const body = [
    'ar-mirror copied these images into Artifact Registry (all platforms, same digests) and',
    'rewrote their references; each rewritten file was re-scanned and verified before this commit.',
    '',
    ...lines,
  ].join('\n');
  const committed = await env.github.commitFiles({
    repo: env.event.repo,
    branch: pr.headRef,
    expectedHeadOid: pr.headSha,
    headline,
    body,
    changes: changes.map((c) => ({ path: c.file, contents: (boms.get(c.file) ? '\uFEFF' : '') + c.content })),
  });
  env.logger.info(`committed ${committed.oid} to ${pr.headRef}`);
  return committed;
}

/** Posts one review with suggestions. */
async function suggest(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  round: Round,
  changes: FileChange[],
  commitId: string,
) {
  const heads = new Map(round.files.map((f) => [f.path, f.head ?? '']));
  const suggestions: Suggestion[] = changes.flatMap((change) =>
    suggestionsFor(change.file, heads.get(change.file) ?? '', change.content, PINNED_MESSAGE).map(
      (suggestion) => ({ ...suggestion, message: suggestionMessage(suggestion, round.unpinned) }),
    ),
  );
  return env.github.createSuggestionReview(env.event.repo, pr.number, commitId, suggestions);
}

const PINNED_MESSAGE = 'Use the image ar-mirror copied into Artifact Registry (digest-pinned).';

/**
 * The message above one suggestion: a name-only rewrite (variable tag) carries no digest, so its
 * suggestion says its edit's note instead of "digest-pinned". Occurrence lines and suggestion
 * lines both count lines of the head file.
 */
function suggestionMessage(suggestion: Suggestion, unpinned: ReadonlyMap<ImageOccurrence, string>): string {
  const first = suggestion.startLine ?? suggestion.line;
  const notes = new Set<string>();
  for (const [occurrence, note] of unpinned) {
    const line = occurrence.start.line;
    if (occurrence.file === suggestion.path && line >= first && line <= suggestion.line) notes.add(note);
  }
  if (notes.size === 0) return PINNED_MESSAGE;
  return `Use the image ar-mirror copied into Artifact Registry, keeping the variable tag; ${[...notes].join('; ')}.`;
}
