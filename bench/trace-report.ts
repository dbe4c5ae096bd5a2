/**
 * `npm run bench:trace -- FILE.json [--all]`: reads one copy's request trace written by
 * `BENCH_TRACE=dir npm run bench:copy` and prints where the time went: start-up before the first
 * request, the manifest walk before the first blob, the blob phase (how many transfers ran at
 * once), the manifest pushes, the exit, and the longest stretches with no request in flight.
 * `--all` also prints every request as a waterfall line.
 */
import { readFileSync } from 'node:fs';
import type { TraceEntry } from './wan-proxy.js';

interface Trace {
  startedAt: number;
  endedAt: number;
  source: TraceEntry[];
  destination: TraceEntry[];
}

type Row = TraceEntry & { side: 'src' | 'dst' };

const BLOB_KINDS = new Set(['blob GET', 'upload PUT', 'upload PATCH']);

function load(file: string): { rows: Row[]; trace: Trace } {
  const trace = JSON.parse(readFileSync(file, 'utf8')) as Trace;
  const rows: Row[] = [
    ...trace.source.map((e): Row => ({ ...e, side: 'src' })),
    ...trace.destination.map((e): Row => ({ ...e, side: 'dst' })),
  ].sort((a, b) => a.start - b.start);
  return { rows, trace };
}

/** Most requests of the given kinds in flight at once. */
function maxInFlight(rows: Row[], kinds: Set<string>): number {
  const events = rows
    .filter((r) => kinds.has(r.kind))
    .flatMap((r) => [
      [r.start, 1],
      [r.end ?? r.head ?? r.start, -1],
    ])
    .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let now = 0;
  let max = 0;
  for (const [, step] of events) {
    now += step!;
    max = Math.max(max, now);
  }
  return max;
}

/** Stretches with no request in flight on either side, longest first. */
function gaps(rows: Row[], from: number): { at: number; ms: number; after: string; before: string }[] {
  const found: { at: number; ms: number; after: string; before: string }[] = [];
  let busyUntil = from;
  let last = 'start';
  for (const r of rows) {
    if (r.start > busyUntil + 1)
      found.push({ at: busyUntil, ms: r.start - busyUntil, after: last, before: `${r.side} ${r.kind}` });
    const end = r.end ?? r.head ?? r.start;
    if (end > busyUntil) {
      busyUntil = end;
      last = `${r.side} ${r.kind}`;
    }
  }
  return found.sort((a, b) => b.ms - a.ms);
}

function main(): void {
  const [file, flag] = process.argv.slice(2);
  if (!file) throw new Error('usage: npm run bench:trace -- FILE.json [--all]');
  const { rows, trace } = load(file);
  const t = (ms: number | undefined) => (ms === undefined ? '-' : `+${(ms - trace.startedAt).toFixed(0)}`);
  const blobs = rows.filter((r) => BLOB_KINDS.has(r.kind));
  const pushes = rows.filter((r) => r.kind === 'manifest PUT');
  const lastEnd = Math.max(...rows.map((r) => r.end ?? r.head ?? r.start));
  console.log(`${file}: ${rows.length} requests, copy ${(trace.endedAt - trace.startedAt).toFixed(0)} ms`);
  if (flag === '--all') {
    console.log('start  head   end    side conn kind           status');
    for (const r of rows)
      console.log(
        `${t(r.start).padEnd(6)} ${t(r.head).padEnd(6)} ${t(r.end).padEnd(6)} ${r.side}  ${String(r.connection).padEnd(4)} ${r.kind.padEnd(14)} ${r.status}`,
      );
  }
  console.log(`- first request at ${t(rows[0]?.start)} ms (process start-up)`);
  if (blobs.length > 0) {
    console.log(
      `- first blob transfer at ${t(blobs[0]?.start)} ms (manifest walk and existence checks before it)`,
    );
    console.log(`- last blob transfer done at ${t(Math.max(...blobs.map((r) => r.end ?? r.start)))} ms`);
  }
  console.log(
    `- manifest PUTs from ${t(pushes[0]?.start)} to ${t(pushes.at(-1)?.end)} ms (${pushes.length})`,
  );
  console.log(`- last response at ${t(lastEnd)} ms; process exit at ${t(trace.endedAt)} ms`);
  console.log(
    `- most in flight at once: blob GETs ${maxInFlight(rows, new Set(['blob GET']))}, uploads ${maxInFlight(rows, new Set(['upload PUT', 'upload PATCH']))}, blob HEADs ${maxInFlight(rows, new Set(['blob HEAD']))}`,
  );
  const idle = gaps(rows, rows[0]?.start ?? trace.startedAt);
  const total = idle.reduce((sum, g) => sum + g.ms, 0);
  console.log(`- nothing in flight for ${total.toFixed(0)} ms in all; longest stretches:`);
  for (const g of idle.slice(0, 5))
    console.log(`    ${g.ms.toFixed(0)} ms at ${t(g.at)}: after ${g.after}, before ${g.before}`);
}

main();
