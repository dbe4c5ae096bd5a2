/**
 * The half of a run that may be repeated when the branch moves: scan-and-mirror (read the
 * changed files, find new third-party references and new mirror references, copy what is
 * missing, compute the rewrites). Write-back (write-back.ts) is the other half. Copies and
 * back-fills are cached across repeats.
 */
import type { Mode, Settings } from '../config.js';
import { errorMessage } from '../errors.js';
import type { PullRequestInfo } from '../github/types.js';
import { type MirrorOutcome, mirrorImages } from '../mirror/mirror-images.js';
import { type FileChange, type FileText, rewriteFiles } from '../mirror/rewrite-files.js';
import {
  type CopyJob,
  type CopyResult,
  type EditPlan,
  planCopies,
  planEdits,
  type SkippedOccurrence,
} from '../plan/index.js';
import { formatReference } from '../reference/index.js';
import { extractFile } from '../scan/index.js';
import { type ReferenceRecord, toScanReport } from '../scan/report.js';
import type { Diagnostic, ImageOccurrence } from '../scan/types.js';
import {
  type BackfillOutcome,
  type BackfillPlan,
  backfillEdits,
  planBackfill,
  runBackfill,
  type UnmappedReference,
  unresolved,
} from './backfill.js';
import { type Collected, type CollectedFile, collectChangedFiles } from './collect.js';
import type { ActionEnvironment } from './environment.js';
import { findNewReferences } from './new-references.js';

/** What one scan-and-mirror pass found and did. */
export interface Round {
  /** The scanned files, then the related files read at the head (a rewrite may land in one). */
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
  /** What the run could not read beside the changed files (bounds, a cut listing), for the summary. */
  notes: string[];
  /** Every occurrence at the head of the changed files (to tell which earlier images are still referenced). */
  head: ImageOccurrence[];
  /** Occurrences an edit was planned for (mirrored rewrites and back-fill pins). */
  edited: Set<ImageOccurrence>;
  /** New references into the destination: what back-fill found, and the ones it could not map. */
  backfill: BackfillOutcome[];
  unmapped: UnmappedReference[];
}

/** What scanAndMirror keeps across the repeats of one run. */
export interface RunCache {
  copies: Map<string, MirrorOutcome<CopyJob>>;
  backfills: Map<string, BackfillOutcome>;
}

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
  cache: RunCache,
  timed: <T>(phase: string, fn: () => Promise<T>) => Promise<T>,
): Promise<Round> {
  const collected = await timed('Reading the changed files', () =>
    collectChangedFiles(env.github, pr, {
      repo: env.event.repo,
      include: settings.include,
      exclude: settings.exclude,
    }),
  );
  logRelated(env, collected);
  const found = findNewReferences(collected.files, extractFile, {
    scanAll: settings.scanAll,
    outputs: collected.outputs,
  });
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
    files: [...collected.files, ...collected.related],
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
    notes: collected.notes,
    head: found.head,
    edited: new Set(),
    backfill: [],
    unmapped: [],
  };
  const backfill = planBackfill(found.added, settings);
  if (collected.isTruncated)
    round.errors.push('GitHub lists at most 3000 changed files; the rest were not scanned');
  env.logger.info(
    `${round.references.length} new third-party reference(s), ${plan.jobs.length} image(s) to mirror, ${backfill.items.length} new mirror reference(s) to check`,
  );
  const count = plan.jobs.length + backfill.items.length + backfill.unmapped.length;
  if (mode === 'report' || count === 0) return round;

  await timed(`Copying ${count} image(s)`, () => copyAll(env, settings, { plan, backfill }, cache, round));
  if (mode === 'copy') return round;

  const results = new Map<string, CopyResult>();
  for (const [source, outcome] of round.outcomes)
    if (outcome.status === 'mirrored') results.set(source, outcome.result);
  const edits = withPins(planEdits(plan.jobs, results, { pinDigest: settings.pinDigest }), round, settings);
  round.notRewritten = [...plan.notRewritable, ...edits.skipped.filter((s) => s.reason !== 'not-copied')];
  round.unpinned = new Map(
    edits.files.flatMap((f) => f.edits.flatMap((e) => (e.note ? [[e.occurrence, e.note] as const] : []))),
  );
  // A rewrite may land in a related file (a `.env` value, a values file): it is verified there
  // with the same project the scan used.
  const texts = new Map<string, FileText>(
    round.files.map((f) => [f.path, { content: f.head!, context: f.context }]),
  );
  const rewrite = rewriteFiles(edits, texts, extractFile);
  round.changes = rewrite.changes;
  round.rewriteFailures = rewrite.failures;
  for (const file of edits.files) {
    for (const edit of file.edits) round.edited.add(edit.occurrence);
    round.sourcesByFile.set(
      file.file,
      new Set(file.edits.map((e) => formatReference(e.occurrence.reference))),
    );
  }
  return round;
}

/** Says which files were read or scanned beside the changed ones, when there were any. */
function logRelated(env: ActionEnvironment, collected: Collected): void {
  const dependents = collected.files.filter((f) => f.isDependent).map((f) => f.path);
  if (collected.related.length + dependents.length === 0) return;
  const also =
    dependents.length > 0
      ? `; also scanned, as changed files decide their images: ${dependents.join(', ')}`
      : '';
  env.logger.info(`read ${collected.related.length} related file(s) beside the changed ones${also}`);
}

/** Adds the back-fill pins to the edit plan, file by file, keeping files in path order. */
function withPins(plan: EditPlan, round: Round, settings: Settings): EditPlan {
  const byFile = new Map(plan.files.map((f) => [f.file, [...f.edits]]));
  for (const edit of backfillEdits(round.backfill, settings.pinDigest)) {
    const edits = byFile.get(edit.occurrence.file) ?? [];
    edits.push(edit);
    byFile.set(edit.occurrence.file, edits);
  }
  const files = [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, edits]) => ({ file, edits }));
  return { ...plan, files };
}

async function copyAll(
  env: ActionEnvironment,
  settings: Settings,
  work: { plan: { jobs: CopyJob[] }; backfill: BackfillPlan },
  cache: RunCache,
  round: Round,
): Promise<void> {
  const { jobs } = work.plan;
  const todo = jobs.filter((job) => !cache.copies.has(job.source));
  const refill = work.backfill.items.filter((item) => !cache.backfills.has(formatReference(item.mirror)));
  const copier = env.createCopier(settings);
  try {
    if (todo.length + refill.length > 0) await copier.preflight(settings.destination);
    for (const outcome of await mirrorImages(todo, copier.copy, { logger: env.logger }))
      cache.copies.set(outcome.job.source, outcome);
    round.backfill = await runBackfill(work.backfill.items, copier, cache.backfills);
    round.unmapped = await unresolved(work.backfill.unmapped, copier);
  } catch (err) {
    // The preflight failed: nothing can be copied, and every image says why.
    const error = errorMessage(err);
    for (const job of todo) cache.copies.set(job.source, { job, status: 'failed', error });
    round.backfill = work.backfill.items.map((item) => ({ item, status: 'failed', error }));
  } finally {
    await copier.close();
  }
  for (const reference of round.unmapped)
    round.errors.push(`${formatReference(reference.mirror)}: ${reference.reason}`);
  for (const job of jobs) {
    const outcome = cache.copies.get(job.source)!;
    round.outcomes.set(job.source, { ...outcome, job });
    if (outcome.status === 'failed') round.errors.push(`${job.source}: ${outcome.error}`);
  }
  for (const outcome of round.backfill) {
    if (outcome.status === 'failed')
      round.errors.push(`${formatReference(outcome.item.mirror)} is not in the mirror: ${outcome.error}`);
    else if (outcome.status === 'copied')
      env.logger.info(
        `back-filled ${formatReference(outcome.item.mirror)} from ${formatReference(outcome.item.source)}`,
      );
  }
}
