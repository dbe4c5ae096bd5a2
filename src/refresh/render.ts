/**
 * What a refresh tells people: the refresh pull request's title, body and commit message, and the
 * job summary. The body's table has one row per moved image (image, tag, old and new digest with
 * their dates, platforms), then what was left alone and why. Every outside string (image names,
 * file names, platforms, registry error text) goes through markdown.ts. Pure.
 */
import { codeSpan, inertText } from '../github/markdown.js';
import type { RefreshedImage, ReportedReference } from './types.js';

/** Hidden marker of the refresh pull request's body. */
export const REFRESH_MARKER = '<!-- ar-mirror-refresh -->';

/** Lines listed per section before the rest are counted. */
const MAX_LINES = 50;

/** The pull request's title for `moved` images. */
export function refreshTitle(moved: readonly RefreshedImage[]): string {
  if (moved.length === 1) return `Refresh mirrored ${moved[0]!.mirror.split('/').pop()}:${moved[0]!.tag}`;
  return `Refresh ${moved.length} mirrored images`;
}

/** The refresh commit's headline and body (plain text: commit messages are not markdown). */
export function refreshCommitMessage(moved: readonly RefreshedImage[]): { headline: string; body: string } {
  const lines = moved.map(
    (image) => `- ${image.mirror}:${image.tag}: ${image.pinned.join(', ')} → ${image.newDigest}`,
  );
  return {
    headline: refreshTitle(moved),
    body: [
      'Upstream moved these tags. ar-mirror copied the new images into the mirror byte for byte',
      '(same digests) and moved the pins.',
      '',
      ...lines,
    ].join('\n'),
  };
}

/** The refresh pull request's body (the writer puts REFRESH_MARKER first) and the job summary's main part. */
export function renderRefreshBody(
  images: readonly RefreshedImage[],
  reported: readonly ReportedReference[],
): string {
  const moved = images.filter((image) => image.status === 'moved' || image.status === 'would-move');
  const held = images.filter((image) => image.status === 'too-new' || image.status === 'failed');
  const parts = [
    '### ar-mirror refresh',
    '',
    moved.length === 0
      ? '_No mirrored tag moved upstream._'
      : 'Upstream moved these tags. ar-mirror copied the new images into the mirror byte for byte (same digests); merging this pull request moves the pins.',
  ];
  if (moved.length > 0) parts.push('', ...movedTable(moved));
  if (held.length > 0) parts.push('', '**Not moved yet**', '', ...capped(held.map(heldLine)));
  if (reported.length > 0)
    parts.push('', '**Reported, not moved**', '', ...capped(reported.map(reportedLine)));
  return parts.join('\n');
}

function movedTable(moved: readonly RefreshedImage[]): string[] {
  const cell = { table: true };
  const rows = moved.map((image) =>
    [
      codeSpan(`${image.source.registry}/${image.source.repository}`, cell),
      codeSpan(image.tag, cell),
      image.pinned.map((digest) => dated(image, digest)).join('<br>'),
      dated(image, image.newDigest!),
      image.platforms.length === 0 ? '—' : inertText(image.platforms.join(', '), cell),
    ].join(' | '),
  );
  return [
    '| Image | Tag | Old digest | New digest | Platforms |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ];
}

/** `sha256:0123456789ab` and its creation date when known. */
function dated(image: RefreshedImage, digest: string): string {
  const [algorithm, hex = ''] = digest.split(':');
  const created = image.created[digest];
  const date = created === undefined ? '' : ` (${inertText(created.slice(0, 10), { table: true })})`;
  return `${codeSpan(`${algorithm}:${hex.slice(0, 12)}`, { table: true })}${date}`;
}

function heldLine(image: RefreshedImage): string {
  const what = image.status === 'too-new' ? 'too new' : 'failed';
  return `- ${codeSpan(`${image.mirror}:${image.tag}`)}: ${what}: ${inertText(image.detail ?? '')}`;
}

function reportedLine(reported: ReportedReference): string {
  const { occurrence } = reported;
  const where = `${occurrence.file}:${occurrence.start.line}`;
  return `- ${codeSpan(where)} ${codeSpan(occurrence.raw)}: ${inertText(reported.detail)}`;
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), `- … and ${lines.length - MAX_LINES} more`];
}
