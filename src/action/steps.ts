/**
 * The two halves of a run that may be repeated when the branch moves: scan-and-mirror (read the
 * changed files, find new third-party references, copy them, compute the rewrites) and
 * write-back (one commit, or review suggestions). Copies are cached by source across repeats.
 */
import type { Mode, Settings } from '../config.js';
import { errorMessage } from '../errors.js';
import { WorkflowPermissionError } from '../github/errors.js';
import type { CommitResult, PullRequestInfo, Suggestion } from '../github/types.js';
import { type MirrorOutcome, mirrorImages } from '../mirror/mirror-images.js';
import { type FileChange, type FileText, rewriteFiles } from '../mirror/rewrite-files.js';
import {
  type CopyJob,
  type CopyResult,
  planCopies,
  planEdits,
  type SkippedOccurrence,
} from '../plan/index.js';
import { formatReference } from '../reference/index.js';
import { extractFile } from '../scan/index.js';
import { type ReferenceRecord, toScanReport } from '../scan/report.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';
import { type CollectedFile, collectChangedFiles } from './collect.js';
import type { ActionEnvironment } from './environment.js';
import { findNewReferences } from './new-references.js';
import { suggestionsFor } from './suggestions.js';

/** What one scan-and-mirror pass found and did. */
export interface Round {
  files: CollectedFile[];
  /** The new third-party references, as `scan --json` reports them (the `references` output). */
  references: ReferenceRecord[];
  jobs: CopyJob[];
  /** New third-party occurrences left out by configuration (ignored, not allowed, collisions). */
  excluded: SkippedOccurrence[];
  outcomes: Map<string, MirrorOutcome<CopyJob>>;
  /** Rewritten files (commit and suggest modes), and the sources each one now points away from. */
  changes: FileChange[];
  sourcesByFile: Map<string, Set<string>>;
  rewriteFailures: { file: string; reason: string }[];
  notRewritten: SkippedOccurrence[];
  /** Occurrences rewritten to the mirror with their variable tag kept (no digest pin), with their edit's note. */
  unpinned: Map<ImageOccurrence, string>;
  diagnostics: Diagnostic[];
  errors: string[];
}

const WORKFLOWS = '.github/workflows/';

/**
 * One scan-and-mirror pass over the pull request's head: collect, find the new third-party
 * references, plan, copy (cached in `cache` by source across passes) and, in commit and suggest
 * modes, compute the verified rewrites. Nothing is written to the pull request here.
 */
export async function scanAndMirror(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  settings: Settings,
  mode: Mode,
  cache: Map<string, MirrorOutcome<CopyJob>>,
  timed: <T>(phase: string, fn: () => Promise<T>) => Promise<T>,
): Promise<Round> {
  const collected = await timed('Reading the changed files', () =>
    collectChangedFiles(env.github, pr, {
      repo: env.event.repo,
      include: settings.include,
      exclude: settings.exclude,
    }),
  );
  const found = findNewReferences(collected.files, extractFile, { scanAll: settings.scanAll });
  const plan = planCopies(found.added, {
    destination: settings.destination,
    pathTemplate: settings.pathTemplate,
    firstParty: settings.firstPartyRegistries,
    ignore: settings.ignoreImages,
    allowRegistries: settings.allowRegistries,
  });
  const excluded = plan.skipped.filter((s) => s.reason !== 'first-party' && s.reason !== 'ignored');
  const newThirdParty = [
    ...plan.jobs.flatMap((job) => job.occurrences),
    ...excluded.map((s) => s.occurrence),
  ];
  const round: Round = {
    files: collected.files,
    references: toScanReport(newThirdParty, []).references,
    jobs: plan.jobs,
    excluded,
    outcomes: new Map(),
    changes: [],
    sourcesByFile: new Map(),
    rewriteFailures: [],
    notRewritten: [],
    unpinned: new Map(),
    diagnostics: [...collected.diagnostics, ...found.diagnostics],
    errors: [],
  };
  if (collected.isTruncated)
    round.errors.push('GitHub lists at most 3000 changed files; the rest were not scanned');
  env.logger.info(
    `${round.references.length} new third-party reference(s), ${plan.jobs.length} image(s) to mirror`,
  );
  if (mode === 'report' || plan.jobs.length === 0) return round;

  await timed(`Copying ${plan.jobs.length} image(s)`, () => copyAll(env, settings, plan.jobs, cache, round));
  if (mode === 'copy') return round;

  const results = new Map<string, CopyResult>();
  for (const [source, outcome] of round.outcomes)
    if (outcome.status === 'mirrored') results.set(source, outcome.result);
  const edits = planEdits(plan.jobs, results, { pinDigest: settings.pinDigest });
  round.notRewritten = [...plan.notRewritable, ...edits.skipped.filter((s) => s.reason !== 'not-copied')];
  round.unpinned = new Map(
    edits.files.flatMap((f) => f.edits.flatMap((e) => (e.note ? [[e.occurrence, e.note] as const] : []))),
  );
  const texts = new Map<string, FileText>(
    collected.files.map((f) => [f.path, { content: f.head!, context: f.context }]),
  );
  const rewrite = rewriteFiles(edits, texts, extractFile);
  round.changes = rewrite.changes;
  round.rewriteFailures = rewrite.failures;
  for (const file of edits.files) {
    round.sourcesByFile.set(
      file.file,
      new Set(file.edits.map((e) => formatReference(e.occurrence.reference))),
    );
  }
  return round;
}

async function copyAll(
  env: ActionEnvironment,
  settings: Settings,
  jobs: CopyJob[],
  cache: Map<string, MirrorOutcome<CopyJob>>,
  round: Round,
): Promise<void> {
  const todo = jobs.filter((job) => !cache.has(job.source));
  const copier = env.createCopier(settings);
  try {
    if (todo.length > 0) await copier.preflight(settings.destination);
    for (const outcome of await mirrorImages(todo, copier.copy, { logger: env.logger }))
      cache.set(outcome.job.source, outcome);
  } catch (err) {
    // The preflight failed: nothing can be copied, and every image says why.
    const error = errorMessage(err);
    for (const job of todo) cache.set(job.source, { job, status: 'failed', error });
  } finally {
    await copier.close();
  }
  for (const job of jobs) {
    const outcome = cache.get(job.source)!;
    round.outcomes.set(job.source, { ...outcome, job });
    if (outcome.status === 'failed') round.errors.push(`${job.source}: ${outcome.error}`);
  }
}

/** What write-back did. */
export interface WriteBack {
  commit: CommitResult | undefined;
  /** Sources whose references were committed. */
  rewritten: Set<string>;
  /** Sources whose references were suggested in a review (suggest mode, or workflow files without permission). */
  suggested: Set<string>;
  notes: string[];
  /** Set when the review failed after the commit (if any) had landed: the commit still stands. */
  error?: string;
}

/**
 * Commits every rewritten file in one commit on the PR branch (expectedHeadOid = the scanned
 * head), or posts suggestions. Workflow files the token may not change fall back to suggestions.
 * Throws BranchMovedError for the caller to retry, and any other error that leaves nothing
 * written; a failed review is returned in `error`, with the commit that did land.
 */
export async function writeBack(
  env: ActionEnvironment,
  pr: PullRequestInfo,
  mode: Mode,
  round: Round,
): Promise<WriteBack> {
  const result: WriteBack = { commit: undefined, rewritten: new Set(), suggested: new Set(), notes: [] };
  let toSuggest: FileChange[] = mode === 'suggest' ? round.changes : [];
  if (mode === 'commit') {
    let toCommit = round.changes;
    try {
      result.commit = await commit(env, pr, round, toCommit);
    } catch (err) {
      if (!(err instanceof WorkflowPermissionError)) throw err;
      toSuggest = toCommit.filter((c) => c.file.startsWith(WORKFLOWS));
      toCommit = toCommit.filter((c) => !c.file.startsWith(WORKFLOWS));
      result.notes.push(
        'the token may not change files under .github/workflows/ (it needs the `workflows` permission), so those references are suggested in a review instead',
      );
      if (toCommit.length > 0) result.commit = await commit(env, pr, round, toCommit);
    }
    for (const change of toCommit)
      for (const source of round.sourcesByFile.get(change.file) ?? []) result.rewritten.add(source);
  }
  if (toSuggest.length > 0) {
    try {
      const suggested = await suggest(env, pr, round, toSuggest, result.commit?.oid ?? pr.headSha);
      for (const file of suggested)
        for (const source of round.sourcesByFile.get(file) ?? []) result.suggested.add(source);
      if (suggested.size < toSuggest.length) {
        result.notes.push(
          'some rewritten lines are outside the pull request diff, where GitHub accepts no suggestions',
        );
      }
    } catch (err) {
      // Throwing here would lose a commit that has already landed (its sha, what it rewrote).
      result.error = `could not post the review suggestions: ${errorMessage(err)}`;
    }
  }
  return result;
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
    return outcome?.status === 'mirrored'
      ? `- ${source} → ${outcome.job.destination}@${outcome.result.digest}`
      : `- ${source}`;
  });
  const headline = `Use mirrored images for ${sources.length} third-party image${sources.length === 1 ? '' : 's'}`;
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

/** Posts one review with suggestions; returns the files that got at least one. */
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
  const review = await env.github.createSuggestionReview(env.event.repo, pr.number, commitId, suggestions);
  return new Set([...review.posted, ...review.existing].map((s) => s.path));
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
