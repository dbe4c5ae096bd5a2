/**
 * The pull-request pipeline, as a list of named steps: settings → changed files → new
 * third-party references → copies → rewrite → one commit (or suggestions) → feedback. Every
 * side effect goes through the GitHub client and the copier it is given, so tests run it
 * against the simulated GitHub and real local registries.
 */
import type { Settings } from '../config.js';
import { errorMessage } from '../errors.js';
import type { Annotation } from '../github/annotations.js';
import { decodeRecord, EMPTY_RECORD, encodeRecord, type PullRequestRecord } from '../github/comment-state.js';
import { BranchMovedError } from '../github/errors.js';
import {
  COMMENT_MARKER,
  type PhaseTiming,
  renderComment,
  renderJobSummary,
  type SummaryReport,
} from '../github/summary.js';
import type { CommitResult } from '../github/types.js';
import { formatReference } from '../reference/index.js';
import type { ReferenceRecord } from '../scan/report.js';
import type { ImageOccurrence } from '../scan/types.js';
import { redactDeep } from '../secrets.js';
import { decideMode } from './decide-mode.js';
import type { ActionEnvironment } from './environment.js';
import { type LineFate, lineFate } from './fates.js';
import { buildAnnotations, mirroredOutput, type RunFacts, summaryRows } from './feedback.js';
import { mergeRecord } from './record.js';
import { readSettingsAt } from './settings.js';
import { type Round, type RunCache, scanAndMirror } from './steps.js';
import { nothingWritten, type WriteBack, writeBack } from './write-back.js';

/** Everything main.ts reports: outputs, annotations, the summary, and whether to fail. */
export interface ActionResult {
  references: ReferenceRecord[];
  mirrored: object[];
  commit: CommitResult | undefined;
  /** Every annotation, in order; main.ts keeps what fits in the runner's per-step limits. */
  annotations: Annotation[];
  summary: string;
  /** Set when the run must fail (per fail-on), with the reason. */
  failure: string | undefined;
}

/**
 * Runs the pull-request pipeline once and returns what main.ts reports. Throws ConfigError for
 * bad settings; every later failure is in the result (`failure`), after the feedback is written.
 */
export async function runAction(env: ActionEnvironment): Promise<ActionResult> {
  const { github, event, logger } = env;
  const timings: PhaseTiming[] = [];
  const timed = async <T>(phase: string, fn: () => Promise<T>): Promise<T> => {
    const started = (env.now ?? Date.now)();
    try {
      return await logger.group(phase, fn);
    } finally {
      timings.push({ phase, ms: (env.now ?? Date.now)() - started });
    }
  };

  let pr = await github.getPullRequest(event.repo, event.number);
  // From the base branch: a pull request cannot change its own rules.
  const settings = await readSettingsAt(github, event.repo, env.inputs, pr.baseSha);
  const isFork = event.isFork || pr.isFork;
  const decision = decideMode(settings.mode, event.eventName, isFork, pr.state === 'closed');
  const mode = decision.mode;
  const notes = decision.reason ? [decision.reason] : [];
  if (decision.reason) logger.warning(decision.reason);

  // A fork's pull_request token cannot write, so there is no comment to write, nor a record to read.
  const canComment = !(event.eventName === 'pull_request' && isFork);
  const previous = canComment ? await readRecord(env, pr.number) : EMPTY_RECORD;
  const cache: RunCache = { copies: new Map(), backfills: new Map() };
  let round = await scanAndMirror(env, pr, settings, mode, cache, timed);
  let written = nothingWritten();
  const errors: string[] = [];
  for (let attempt = 1; round.changes.length > 0 && (mode === 'commit' || mode === 'suggest'); attempt++) {
    try {
      written = await timed('Writing to the pull request', () =>
        writeBack(env, pr, mode, round, previous.refusedWorkflowFiles),
      );
      break;
    } catch (err) {
      if (!(err instanceof BranchMovedError) || attempt === 2) {
        errors.push(`nothing was committed: ${errorMessage(err)}`);
        break;
      }
      // Someone pushed while we worked: scan the new head and try once more (copies are cached).
      logger.info('the branch moved while ar-mirror ran; reading the new head and trying once more');
      pr = await github.getPullRequest(event.repo, event.number);
      round = await scanAndMirror(env, pr, settings, mode, cache, timed);
    }
  }
  notes.push(
    ...round.notes,
    ...written.notes,
    ...round.rewriteFailures.map((f) => `left unchanged: ${f.reason}`),
    ...round.notRewritten.map(
      (s) =>
        `${s.occurrence.file}:${s.occurrence.start.line}: ${formatReference(s.occurrence.reference)} is not rewritten: ${s.detail}`,
    ),
  );
  if (written.error) errors.push(written.error);
  errors.push(...round.errors, ...round.rewriteFailures.map((f) => f.reason));

  const facts = toFacts(mode, round, written, errors[0]);
  const record = mergeRecord(previous, summaryRows(facts), written.refusedWorkflowFiles, round.head);
  const report: SummaryReport = {
    rows: record.rows,
    ...(written.commit ? { commit: written.commit } : {}),
    notes,
  };
  if (report.rows.length > 0 && canComment) await writeComment(env, pr.number, record, report);
  const scanErrors = round.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}: ${d.message}`);
  // The one place the result leaves for the runner (annotations, outputs, summary, failure):
  // registry error text in it may echo a credential.
  return redactDeep({
    references: round.references,
    mirrored: mirroredOutput(facts),
    commit: written.commit,
    annotations: buildAnnotations(facts),
    summary: renderJobSummary(
      { ...report, notes: [`Mode: ${mode}.`, ...notes, ...errors, ...scanErrors] },
      timings,
    ),
    failure: failureFor(settings, [...errors, ...scanErrors], unmirrored(mode, facts)),
  });
}

/**
 * Writes the sticky comment: the hidden record first (so a cut never loses it), then the table and
 * every follow-up commit the record links, so a run that changes nothing leaves the comment as is.
 */
async function writeComment(
  env: ActionEnvironment,
  number: number,
  record: PullRequestRecord,
  report: SummaryReport,
): Promise<void> {
  try {
    // The client redacts the body it sends, but cannot see into the base64 block: redact first.
    const commits = [
      ...new Map(record.rows.flatMap((r) => (r.commit ? [[r.commit.oid, r.commit]] : []))).values(),
    ];
    const body = `${encodeRecord(redactDeep(record))}\n${renderComment({ ...report, commits })}`;
    await env.github.upsertStickyComment(env.event.repo, number, COMMENT_MARKER, body);
  } catch (err) {
    env.logger.warning(`could not update the pull-request comment: ${errorMessage(err)}`);
  }
}

/** The record earlier runs kept in the sticky comment; empty when there is none or it cannot be read. */
async function readRecord(env: ActionEnvironment, number: number): Promise<PullRequestRecord> {
  try {
    return decodeRecord(await env.github.readStickyComment(env.event.repo, number, COMMENT_MARKER));
  } catch (err) {
    env.logger.warning(`could not read the pull-request comment: ${errorMessage(err)}`);
    return decodeRecord(undefined);
  }
}

function toFacts(
  mode: RunFacts['mode'],
  round: Round,
  written: WriteBack,
  commitError: string | undefined,
): RunFacts {
  const inputs = {
    mode,
    edited: round.edited,
    notRewritten: new Map(round.notRewritten.map((s) => [s.occurrence, s.detail])),
    rewriteFailures: new Map(round.rewriteFailures.map((f) => [f.file, f.reason])),
    written,
    commitError,
  };
  const fates = new Map<ImageOccurrence, LineFate>();
  const copied = [
    ...round.jobs
      .filter((job) => round.outcomes.get(job.source)?.status === 'mirrored')
      .flatMap((job) => job.occurrences),
    ...round.backfill.filter((b) => b.status === 'copied').flatMap((b) => b.item.occurrences),
  ];
  for (const occurrence of copied) fates.set(occurrence, lineFate(occurrence, inputs));
  return {
    mode,
    jobs: round.jobs,
    excluded: round.excluded,
    outcomes: round.outcomes,
    fates,
    backfill: round.backfill,
    unmapped: round.unmapped,
    notRewritten: round.notRewritten,
    unpinned: round.unpinned,
    diagnostics: round.diagnostics,
  };
}

/** New third-party images that still point at their third-party registry after this run. */
function unmirrored(mode: RunFacts['mode'], facts: RunFacts): string[] {
  const left = facts.jobs
    .filter((job) => {
      const outcome = facts.outcomes.get(job.source);
      if (outcome?.status !== 'mirrored') return true;
      // A suggestion counts: the reviewer has the exact change in front of them.
      const handled = job.occurrences.some((o) => {
        const kind = facts.fates.get(o)?.kind;
        return kind === 'committed' || kind === 'suggested';
      });
      return (mode === 'commit' || mode === 'suggest') && !handled;
    })
    .map((job) => job.source);
  // Excluded occurrences name the image (not the reason), once per image. Ignored images are
  // not in `excluded` at all (scanAndMirror leaves them out with the first-party ones).
  const excluded = facts.excluded.map((s) => formatReference(s.occurrence.reference));
  return [...new Set([...left, ...excluded])];
}

function failureFor(settings: Settings, errors: string[], left: string[]): string | undefined {
  if (settings.failOn === 'never') return undefined;
  if (errors.length > 0) return `ar-mirror found ${errors.length} error(s): ${errors.slice(0, 3).join('; ')}`;
  if (settings.failOn === 'unmirrored' && left.length > 0) {
    return `${left.length} new third-party image(s) are not mirrored: ${left.slice(0, 5).join(', ')}`;
  }
  return undefined;
}
