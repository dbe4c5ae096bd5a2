/**
 * Collects the copy benchmark's samples and prints them as markdown ready for docs/benchmarks.md:
 * times, request costs per tool (WAN cases, counted by the proxies), and issue 12's goals.
 */
import { median, type Sample, type Tool } from './copy-tools.js';
import type { RequestCounts, RequestKind } from './request-counts.js';

/** The samples of one case, phase and tool. */
export interface ResultRow {
  /** `loopback`, `wan1`, `wan2`, `1 GiB`. */
  name: string;
  /** `cold` or `warm`. */
  phase: string;
  tool: Tool;
  samples: Sample[];
}

/** Samples in the order they were first added. */
export interface Results {
  add(name: string, phase: string, tool: Tool, sample: Sample): void;
  rows(): ResultRow[];
  find(name: string, phase: string, tool: Tool): ResultRow | undefined;
}

/** Creates an empty result set. */
export function createResults(): Results {
  const rows = new Map<string, ResultRow>();
  const key = (name: string, phase: string, tool: Tool) => `${name}\0${phase}\0${tool}`;
  return {
    add(name, phase, tool, sample) {
      const row = rows.get(key(name, phase, tool)) ?? { name, phase, tool, samples: [] };
      row.samples.push(sample);
      rows.set(key(name, phase, tool), row);
    },
    rows: () => [...rows.values()],
    find: (name, phase, tool) => rows.get(key(name, phase, tool)),
  };
}

const secondsOf = (row: ResultRow) => median(row.samples.map((s) => s.seconds));

/** Wall time, CPU and RSS per row, and the ar-mirror / skopeo ratio per case and phase. */
export function timeTable(results: Results): string {
  const lines = [
    '| case | phase | tool | median s | runs (s) | median CPU s | peak RSS MB (max) | proxy CPU s |',
    '|---|---|---|---:|---|---:|---:|---:|',
  ];
  for (const row of results.rows()) {
    const runs = row.samples.map((s) => s.seconds.toFixed(2)).join(', ');
    const cpu = median(row.samples.map((s) => s.cpu)).toFixed(2);
    const rss = Math.max(...row.samples.map((s) => s.rssMb)).toFixed(0);
    const proxy =
      row.samples[0]?.proxyCpu === undefined
        ? ''
        : median(row.samples.map((s) => s.proxyCpu ?? 0)).toFixed(2);
    lines.push(
      `| ${row.name} | ${row.phase} | ${row.tool} | ${secondsOf(row).toFixed(2)} | ${runs} | ${cpu} | ${rss} | ${proxy} |`,
    );
  }
  return lines.join('\n');
}

/** ar-mirror's median time over skopeo's for one case and phase; undefined when either is missing. */
export function ratio(results: Results, name: string, phase: string): number | undefined {
  const ours = results.find(name, phase, 'ar-mirror');
  const theirs = results.find(name, phase, 'skopeo');
  return ours && theirs ? secondsOf(ours) / secondsOf(theirs) : undefined;
}

const count = (c: RequestCounts, kind: RequestKind) => c.byKind[kind] ?? 0;
const medianOf = (row: ResultRow, pick: (s: NonNullable<Sample['requests']>) => number) =>
  median(row.samples.map((s) => (s.requests ? pick(s.requests) : 0)));
const maxOf = (row: ResultRow, pick: (s: NonNullable<Sample['requests']>) => number) =>
  Math.max(...row.samples.map((s) => (s.requests ? pick(s.requests) : 0)));

/** Requests per copy (medians over the runs; duplicates: the most seen in any run). */
export function requestTable(results: Results): string {
  const lines = [
    '| case | phase | tool | src manifest GET | src manifest HEAD | src blob GET | dup manifest / blob GET (max) | dst blob HEAD | dst POST / PATCH / PUT | dst manifest PUT | tokens | src requests | dst requests | total | connections |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of results.rows().filter((r) => r.samples[0]?.requests)) {
    const src = (kind: RequestKind) => medianOf(row, (r) => count(r.source, kind));
    const dst = (kind: RequestKind) => medianOf(row, (r) => count(r.destination, kind));
    const dups = `${maxOf(row, (r) => r.source.duplicateManifestGets)} / ${maxOf(row, (r) => r.source.duplicateBlobGets)}`;
    const uploads = `${dst('upload POST')} / ${dst('upload PATCH')} / ${dst('upload PUT')}`;
    const tokens = medianOf(row, (r) => count(r.source, 'token') + count(r.destination, 'token'));
    const srcTotal = medianOf(row, (r) => r.source.total);
    const dstTotal = medianOf(row, (r) => r.destination.total);
    const total = medianOf(row, (r) => r.source.total + r.destination.total);
    const connections = medianOf(row, (r) => r.source.connections + r.destination.connections);
    lines.push(
      `| ${row.name} | ${row.phase} | ${row.tool} | ${src('manifest GET')} | ${src('manifest HEAD')} | ${src('blob GET')} | ${dups} | ${dst('blob HEAD')} | ${uploads} | ${dst('manifest PUT')} | ${tokens} | ${srcTotal} | ${dstTotal} | ${total} | ${connections} |`,
    );
  }
  return lines.join('\n');
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');

/** Issue 12's goals, checked against ar-mirror's rows. */
export function goalLines(results: Results): string[] {
  const lines: string[] = [];
  const wan1 = ratio(results, 'wan1', 'cold');
  const loop = ratio(results, 'loopback', 'cold');
  lines.push(
    `- wan1 cold ≤ 0.40 × skopeo: ${wan1?.toFixed(2) ?? '–'} (${verdict(wan1 === undefined ? undefined : wan1 <= 0.4)})`,
  );
  lines.push(
    `- loopback cold ≤ 0.80 × skopeo: ${loop?.toFixed(2) ?? '–'} (${verdict(loop === undefined ? undefined : loop <= 0.8)})`,
  );
  for (const row of results.rows().filter((r) => r.tool === 'ar-mirror' && r.samples[0]?.requests)) {
    if (row.phase === 'cold') {
      const dups = maxOf(row, (r) => r.source.duplicateManifestGets + r.source.duplicateBlobGets);
      lines.push(
        `- ${row.name} cold: no source manifest or blob fetched twice: ${dups} duplicates (${verdict(dups === 0)})`,
      );
    } else {
      const gets = maxOf(row, (r) => count(r.source, 'manifest GET'));
      const total = maxOf(row, (r) => r.source.total + r.destination.total);
      lines.push(
        `- ${row.name} warm: no source manifest GET and ≤ 6 requests: ${gets} GETs, ${total} requests (${verdict(gets === 0 && total <= 6)})`,
      );
    }
  }
  const big = results.find('1 GiB', 'cold', 'ar-mirror');
  const rss = big ? Math.max(...big.samples.map((s) => s.rssMb)) : undefined;
  lines.push(
    `- peak RSS on a 1 GiB layer < 150 MB: ${rss?.toFixed(0) ?? '–'} MB (${verdict(rss === undefined ? undefined : rss < 150)})`,
  );
  return lines;
}
