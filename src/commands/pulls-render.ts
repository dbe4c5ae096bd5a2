/** The human output of `ar-mirror pulls`: aligned tables, every hostile value escaped. */
import type { CutOverGate } from '../platform/cut-over-gate.js';
import { DOCKER_HUB_LIMITS, type PullSummary } from '../platform/pull-report.js';
import { printable } from '../text/escape.js';
import { renderTable } from './table.js';

/** What the renderer shows beyond the summary. */
export interface PullsView {
  summary: PullSummary;
  gate: CutOverGate | undefined;
  notes: string[];
}

const yesNo = (value: boolean | null) => (value === null ? '-' : value ? 'yes' : 'NO');
const list = (values: readonly string[]) =>
  values.length <= 3 ? values.join(',') : `${values.slice(0, 3).join(',')},+${values.length - 3}`;

/** Renders the report. */
export function renderPulls(view: PullsView): string {
  const { summary } = view;
  const rows = summary.images.map((row) => [
    printable(row.image, 120),
    String(row.pulls),
    row.firstSeen,
    row.lastSeen,
    printable(list(row.clusters), 80),
    printable(list(row.namespaces), 60),
    row.thirdParty ? 'third-party' : 'first-party',
    yesNo(row.atDestination),
    yesNo(row.inTree),
  ]);
  let text =
    rows.length > 0
      ? renderTable(
          [
            'IMAGE',
            'PULLS',
            'FIRST SEEN',
            'LAST SEEN',
            'CLUSTERS',
            'NAMESPACES',
            'SOURCE',
            'AT --to',
            'IN TREE',
          ],
          rows,
        )
      : 'no image pulls found\n';
  const untracked = summary.images.filter((row) => row.inTree === false);
  if (untracked.length > 0) {
    text += `\nrunning but referenced by no file of the tree (${untracked.length}):\n`;
    for (const row of untracked) text += `  ${printable(row.image, 120)}\n`;
  }
  text += renderPressure(summary);
  if (summary.timeline.length > 0)
    text += `\n${renderTable(
      ['FROM', 'PULLS', 'THIRD-PARTY'],
      summary.timeline.map((b) => [b.start, String(b.pulls), String(b.thirdParty)]),
    )}`;
  text += renderGate(view.gate);
  for (const note of view.notes) text += `note: ${note}\n`;
  const thirdParty = summary.images.filter((row) => row.thirdParty).length;
  text += `${summary.totalPulls} pull(s) of ${summary.images.length} image(s), ${thirdParty} third-party\n`;
  return text;
}

function renderPressure(summary: PullSummary): string {
  if (summary.dockerHub.length === 0) return '';
  const rows = summary.dockerHub.map((p) => [
    printable(p.cluster, 100),
    String(p.peakPulls),
    p.windowStart,
    p.overAuthenticated ? 'over both limits' : p.overAnonymous ? 'over the anonymous limit' : 'within limits',
  ]);
  return `\nDocker Hub pulls per 6 hours (limits: ${DOCKER_HUB_LIMITS.anonymous} anonymous per IP, ${DOCKER_HUB_LIMITS.authenticated} authenticated; a cluster's nodes share one NAT address):\n${renderTable(['CLUSTER', 'PEAK 6H', 'WINDOW FROM', 'STATUS'], rows)}`;
}

/** The gate's lines: what broke it, what it could not read, or on what it passed. */
function renderGate(gate: PullsView['gate']): string {
  if (!gate) return '';
  let text = '\n';
  if (gate.violations.length > 0) {
    text += `gate FAILED: ${gate.violations.length} third-party image(s) pulled since ${gate.after}:\n`;
    for (const v of gate.violations)
      text += `  ${printable(v.image, 120)}  ${v.pulls} pull(s), last ${v.lastSeen}, ${printable(list(v.clusters), 80)}\n`;
  }
  const covered = gate.truncated.filter((source) => !gate.incomplete.includes(source));
  if (covered.length > 0)
    text += `gate: the read of ${printable(covered.join(', '), 300)} was cut short at --max-entries, but only before ${gate.after}: every pull since then was read\n`;
  if (gate.incomplete.length > 0)
    text += `gate FAILED: the read of ${printable(gate.incomplete.join(', '), 300)} was cut short at --max-entries, so pulls since ${gate.after} may be missing and cannot be vouched for; raise --max-entries or shorten --since to the cut-over\n`;
  if (gate.passed)
    text +=
      gate.pulls === 0
        ? `gate: no pulls at all since ${gate.after}, third-party or first-party: nothing here shows that the pulls moved (check the sources and the window)\n`
        : `gate: no third-party pulls since ${gate.after} (${gate.pulls} pull(s), all first-party)\n`;
  return text;
}
