/**
 * `npm run bench:copy`: times `ar-mirror copy` against `skopeo copy --all --preserve-digests`
 * between two local registries (plain HTTP, no auth), alternating the tools within each pair.
 *
 *   cold: each tool copies into its own fresh, empty destination registry (a new process and
 *         data dir per run, so neither a registry nor skopeo's blob-info cache knows the blobs)
 *   warm: the same copy again into that now complete destination
 *   big:  one 1 GiB layer, cold, for peak RSS (target < 150 MB)
 *
 * Reports medians of BENCH_PAIRS pairs (default 5) and peak RSS from /usr/bin/time. It runs the
 * checked-in dist/cli.js, so run `npm run build` first. Env: BENCH_PAIRS, BENCH_LAYER_MB
 * (default 20), BENCH_BIG=0 to skip the 1 GiB case.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pushRandomImage } from '../__tests__/support/images.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';

const run = promisify(execFile);
const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? 5));
const LAYER_MB = Number(process.env.BENCH_LAYER_MB ?? 20);
const BIG = process.env.BENCH_BIG !== '0';
const TMP = join(process.cwd(), '.bench-tmp');
const CLI = join(process.cwd(), 'dist', 'cli.js');

interface Sample {
  seconds: number;
  rssMb: number;
  /** User + system CPU seconds of the copying process. */
  cpu: number;
}
type Tool = 'ar-mirror' | 'skopeo';

async function checkCli(): Promise<void> {
  await mkdir(TMP, { recursive: true });
  await access(CLI).catch(() => {
    throw new Error(`${CLI} is missing: run npm run build first`);
  });
}

/** Runs one copy under /usr/bin/time and returns wall-clock seconds and peak RSS. */
async function timeCopy(tool: Tool, source: string, destination: string): Promise<Sample> {
  const rssFile = join(TMP, `rss-${tool}.txt`);
  const command =
    tool === 'ar-mirror'
      ? ['node', CLI, 'copy', source, destination, '--plain-http', '127.0.0.1', '--json']
      : [
          'skopeo',
          'copy',
          '--all',
          '--preserve-digests',
          '--src-tls-verify=false',
          '--dest-tls-verify=false',
          '-q',
          `docker://${source}`,
          `docker://${destination}`,
        ];
  // Flush what earlier steps wrote (the 1 GiB source push, the other tool's copy), so writeback
  // of someone else's data does not land on whichever tool happens to run next.
  await run('sync', []);
  const started = performance.now();
  await run('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, ...command], {
    maxBuffer: 1 << 20,
    env: childEnv(),
  });
  const seconds = (performance.now() - started) / 1000;
  const [rssKb, user, sys] = ((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1) ?? '')
    .split(' ')
    .map(Number);
  return { seconds, rssMb: (rssKb ?? 0) / 1024, cpu: (user ?? 0) + (sys ?? 0) };
}

/**
 * The children's environment without NODE_EXTRA_CA_CERTS: this machine points it at the whole
 * system bundle, which costs every Node process ~150 ms at startup and is not part of a copy
 * (the registries here are plain HTTP). Set BENCH_KEEP_ENV=1 to measure with it.
 */
function childEnv(): NodeJS.ProcessEnv {
  if (process.env.BENCH_KEEP_ENV === '1') return process.env;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...env } = process.env;
  return env;
}

async function checkDigest(registry: TestRegistry, repo: string, expected: string): Promise<void> {
  const accept = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';
  const res = await registry.fetch(`/v2/${repo}/manifests/1`, { method: 'HEAD', headers: { accept } });
  if (res.headers['docker-content-digest'] !== expected)
    throw new Error(`${repo} on ${registry.host} has the wrong digest`);
}

/** One pair: both tools cold into fresh registries (order alternating), then both warm. */
async function runPair(
  pair: number,
  src: TestRegistry,
  image: { digest: string },
  results: Record<string, Sample[]>,
): Promise<void> {
  const order: Tool[] = pair % 2 === 0 ? ['ar-mirror', 'skopeo'] : ['skopeo', 'ar-mirror'];
  const dests = await Promise.all(order.map(() => startRegistry({ mode: 'none' })));
  try {
    for (const phase of ['cold', 'warm'] as const) {
      for (const [i, tool] of order.entries()) {
        const sample = await timeCopy(tool, `${src.host}/bench/app:1`, `${dests[i]!.host}/bench/app:1`);
        await checkDigest(dests[i]!, 'bench/app', image.digest);
        const key = `${tool} ${phase}`;
        results[key] = [...(results[key] ?? []), sample];
        console.error(
          `pair ${pair + 1} ${phase} ${tool}: ${sample.seconds.toFixed(2)} s, cpu ${sample.cpu.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await Promise.all(dests.map((d) => d.stop()));
  }
}

async function runBig(src: TestRegistry, results: Record<string, Sample[]>): Promise<void> {
  console.error('building the 1 GiB single-layer image…');
  const big = await pushRandomImage(src, 'bench/big:1', { layers: 1, layerSize: 1 << 30, seed: 7 });
  for (const tool of ['ar-mirror', 'skopeo'] as const) {
    const dest = await startRegistry({ mode: 'none' });
    try {
      const sample = await timeCopy(tool, `${src.host}/bench/big:1`, `${dest.host}/bench/big:1`);
      await checkDigest(dest, 'bench/big', big.digest);
      results[`${tool} 1 GiB`] = [sample];
      console.error(`1 GiB ${tool}: ${sample.seconds.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB`);
    } finally {
      await dest.stop();
    }
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function table(results: Record<string, Sample[]>): string {
  const rows = [
    '| case | tool | median s | runs (s) | median CPU s | peak RSS MB (max) |',
    '|---|---|---|---|---|---|',
  ];
  for (const [key, samples] of Object.entries(results)) {
    const [tool, ...rest] = key.split(' ');
    const runs = samples.map((s) => s.seconds.toFixed(2)).join(', ');
    const rss = Math.max(...samples.map((s) => s.rssMb)).toFixed(0);
    const seconds = median(samples.map((s) => s.seconds)).toFixed(2);
    const cpu = median(samples.map((s) => s.cpu)).toFixed(2);
    rows.push(`| ${rest.join(' ')} | ${tool} | ${seconds} | ${runs} | ${cpu} | ${rss} |`);
  }
  const ratio = (phase: string) =>
    median(results[`ar-mirror ${phase}`]!.map((s) => s.seconds)) /
    median(results[`skopeo ${phase}`]!.map((s) => s.seconds));
  rows.push(
    '',
    `cold ratio ar-mirror/skopeo: ${ratio('cold').toFixed(2)} (target ≤ 0.80); warm ratio: ${ratio('warm').toFixed(2)} (target ≤ 1.00)`,
  );
  return rows.join('\n');
}

async function main(): Promise<void> {
  await checkCli();
  const src = await startRegistry({ mode: 'none' });
  try {
    console.error(`building a 3-platform × 5-layer × ${LAYER_MB} MiB image…`);
    const image = await pushRandomImage(src, 'bench/app:1', {
      platforms: ['linux/amd64', 'linux/arm64', 'linux/arm/v7'],
      layers: 5,
      layerSize: LAYER_MB << 20,
      sharedLayers: 0,
      seed: 42,
    });
    const results: Record<string, Sample[]> = {};
    for (let pair = 0; pair < PAIRS; pair++) await runPair(pair, src, image, results);
    if (BIG) await runBig(src, results);
    console.log(
      `\n## ar-mirror copy vs skopeo (${PAIRS} pairs, ${new Date().toISOString().slice(0, 10)})\n\n${table(results)}`,
    );
  } finally {
    await src.stop();
    await rm(TMP, { recursive: true, force: true });
  }
}

await main();
