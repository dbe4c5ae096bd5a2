/**
 * `npm run bench:copy`: times `ar-mirror copy` against `skopeo copy --all --preserve-digests`,
 * alternating the tools within each pair. Cases (BENCH_CASES, comma-separated; default all):
 *
 *   loopback: two local registries over plain HTTP, a 3-platform × 5-layer × BENCH_LAYER_MB
 *             (default 20) MiB image; cold = each tool into its own fresh, empty destination
 *             registry (a new process and data dir per run, so neither a registry nor skopeo's
 *             blob-info cache knows the blobs), warm = the same copy again into that destination
 *   wan1:     issue 12's link (source +40 ms, destination +20 ms, 25 MB/s per stream) through the
 *             WAN proxies, a 3-platform index of 6 × 3 MiB layers, one shared; cold and warm
 *   wan2:     80 ms at both ends, 10 MB/s per stream, 30 × 1 MiB layers per platform
 *   big:      one 1 GiB layer, loopback, cold, for peak RSS (target < 150 MB)
 *
 * Reports medians of BENCH_PAIRS pairs (default 5 for loopback, 3 for WAN), CPU and peak RSS
 * from /usr/bin/time, and per-tool request counts from the proxies (WAN cases). It runs the
 * checked-in dist/cli.js, so run `npm run build` first. Other env: BENCH_WAN_PAIRS,
 * BENCH_AUTH=token (both registries want Bearer tokens, realm through the proxy; default none),
 * BENCH_HANDSHAKE=1 (a round trip more on each new connection), BENCH_AR_ARGS (extra ar-mirror
 * arguments, e.g. "--jobs 16"), BENCH_TRACE=dir (each WAN copy's request timeline, for
 * `npm run bench:trace -- FILE`), BENCH_BIG=0 (same as leaving
 * `big` out of BENCH_CASES), BENCH_KEEP_ENV=1 (keep NODE_EXTRA_CA_CERTS).
 */
import { access, mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { pushRandomImage } from '../__tests__/support/images.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';
import { createResults, goalLines, type Results, ratio, requestTable, timeTable } from './copy-report.js';
import { CLI, checkDigest, EXTRA_AR_ARGS, TMP, timeCopy, toolOrder } from './copy-tools.js';
import { runWanCase, WAN_CASES } from './copy-wan.js';

const CASES = new Set((process.env.BENCH_CASES ?? 'loopback,wan1,wan2,big').split(',').map((c) => c.trim()));
if (process.env.BENCH_BIG === '0') CASES.delete('big');
const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? 5));
const WAN_PAIRS = Math.max(1, Number(process.env.BENCH_WAN_PAIRS ?? process.env.BENCH_PAIRS ?? 3));
const LAYER_MB = Number(process.env.BENCH_LAYER_MB ?? 20);
const AUTH = process.env.BENCH_AUTH === 'token' ? 'token' : 'none';
const HANDSHAKE = process.env.BENCH_HANDSHAKE === '1';
const TRACE_DIR = process.env.BENCH_TRACE;

async function checkCli(): Promise<void> {
  await mkdir(TMP, { recursive: true });
  await access(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run npm run build first`);
  });
}

/** One loopback pair: both tools cold into fresh registries (order alternating), then both warm. */
async function runLoopbackPair(pair: number, src: TestRegistry, digest: string, results: Results) {
  const order = toolOrder(pair);
  const dests = await Promise.all(order.map(() => startRegistry({ mode: 'none' })));
  try {
    for (const phase of ['cold', 'warm'] as const) {
      for (const [i, tool] of order.entries()) {
        const dest = dests[i]!;
        const sample = await timeCopy({
          tool,
          source: `${src.host}/bench/app:1`,
          destination: `${dest.host}/bench/app:1`,
        });
        await checkDigest(dest, 'bench/app', digest);
        results.add('loopback', phase, tool, sample);
        console.error(
          `loopback pair ${pair + 1} ${phase} ${tool}: ${sample.seconds.toFixed(2)} s, cpu ${sample.cpu.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await Promise.all(dests.map((d) => d.stop()));
  }
}

async function runLoopback(src: TestRegistry, results: Results): Promise<void> {
  console.error(`loopback: building a 3-platform × 5-layer × ${LAYER_MB} MiB image…`);
  const image = await pushRandomImage(src, 'bench/app:1', {
    platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
    layers: 5,
    layerSize: LAYER_MB << 20,
    sharedLayers: 0,
    seed: 42,
  });
  for (let pair = 0; pair < PAIRS; pair++) await runLoopbackPair(pair, src, image.digest, results);
}

async function runBig(src: TestRegistry, results: Results): Promise<void> {
  console.error('building the 1 GiB single-layer image…');
  const big = await pushRandomImage(src, 'bench/big:1', { layers: 1, layerSize: 1 << 30, seed: 7 });
  for (const tool of ['ar-mirror', 'skopeo'] as const) {
    const dest = await startRegistry({ mode: 'none' });
    try {
      const sample = await timeCopy({
        tool,
        source: `${src.host}/bench/big:1`,
        destination: `${dest.host}/bench/big:1`,
      });
      await checkDigest(dest, 'bench/big', big.digest);
      results.add('1 GiB', 'cold', tool, sample);
      console.error(`1 GiB ${tool}: ${sample.seconds.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB`);
    } finally {
      await dest.stop();
    }
  }
}

function report(results: Results, loadBefore: number[]): string {
  const ratios = results
    .rows()
    .filter((row) => row.tool === 'ar-mirror')
    .map((row) => `${row.name} ${row.phase} ${ratio(results, row.name, row.phase)?.toFixed(2) ?? '–'}`);
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  const requests = requestTable(results);
  return [
    `## ar-mirror copy vs skopeo (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average before ${load(loadBefore)}, after ${load(loadavg())}.`,
    `Pairs: loopback ${PAIRS}, WAN ${WAN_PAIRS}; WAN auth: ${AUTH}; handshake round trip: ${HANDSHAKE ? 'yes' : 'no'}; extra ar-mirror arguments: ${EXTRA_AR_ARGS.join(' ') || 'none'}.`,
    '',
    timeTable(results),
    '',
    `ratio ar-mirror / skopeo (median time): ${ratios.join('; ')}`,
    ...(requests.split('\n').length > 2
      ? ['', '### Requests per copy (counted by the WAN proxies)', '', requests]
      : []),
    '',
    '### Goals (issue 12)',
    '',
    ...goalLines(results),
  ].join('\n');
}

async function main(): Promise<void> {
  await checkCli();
  if (TRACE_DIR) await mkdir(TRACE_DIR, { recursive: true });
  const loadBefore = loadavg();
  const results = createResults();
  const src = CASES.has('loopback') || CASES.has('big') ? await startRegistry({ mode: 'none' }) : undefined;
  try {
    if (src && CASES.has('loopback')) await runLoopback(src, results);
    for (const name of ['wan1', 'wan2'] as const) {
      if (CASES.has(name))
        await runWanCase(
          WAN_CASES[name],
          { pairs: WAN_PAIRS, auth: AUTH, handshake: HANDSHAKE, traceDir: TRACE_DIR },
          results,
        );
    }
    if (src && CASES.has('big')) await runBig(src, results);
    console.log(`\n${report(results, loadBefore)}`);
  } finally {
    await src?.stop();
    await rm(TMP, { recursive: true, force: true });
  }
}

await main();
