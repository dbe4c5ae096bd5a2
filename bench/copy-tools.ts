/**
 * Running one timed copy for `npm run bench:copy`: `ar-mirror copy` (the checked-in dist/cli.js)
 * or `skopeo copy --all --preserve-digests`, under /usr/bin/time for CPU and peak RSS.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestRegistry } from '../__tests__/support/registry.js';
import type { RequestCounts } from './request-counts.js';

const run = promisify(execFile);

/** The two tools compared. */
export type Tool = 'ar-mirror' | 'skopeo';

/** Where the bench keeps its scratch files. */
export const TMP = join(process.cwd(), '.bench-tmp');
/** The bundle measured: build it first (`npm run build`). */
export const CLI = join(process.cwd(), 'dist', 'cli.js');

/** One timed copy. */
export interface Sample {
  seconds: number;
  rssMb: number;
  /** User + system CPU seconds of the copying process. */
  cpu: number;
  /** Requests seen by the WAN proxies (WAN cases only). */
  requests?: { source: RequestCounts; destination: RequestCounts };
  /** CPU seconds the bench process (which hosts the proxies) spent during the copy (WAN cases only). */
  proxyCpu?: number;
  /** performance.now() when the copy process was started (for traces). */
  startedAt: number;
}

/** One copy to run. */
export interface CopyJob {
  tool: Tool;
  /** `HOST:PORT/repo:tag` on both sides (plain HTTP, 127.0.0.1). */
  source: string;
  destination: string;
  /** `user:password` for a registry that wants a login to push. Default: none. */
  destinationCreds?: string | undefined;
}

/** Extra `ar-mirror copy` arguments (BENCH_AR_ARGS="--jobs 16"), to compare settings quickly. */
export const EXTRA_AR_ARGS = (process.env.BENCH_AR_ARGS ?? '').split(' ').filter(Boolean);

/** Extra arguments to ar-mirror's `node` (BENCH_AR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"). */
const NODE_ARGS = (process.env.BENCH_AR_NODE_ARGS ?? '').split(' ').filter(Boolean);

function command(job: CopyJob): string[] {
  const creds = job.destinationCreds ? ['--dest-creds', job.destinationCreds] : [];
  if (job.tool === 'ar-mirror')
    return [
      'node',
      ...NODE_ARGS,
      CLI,
      'copy',
      job.source,
      job.destination,
      '--plain-http',
      '127.0.0.1',
      '--json',
      ...creds,
      ...EXTRA_AR_ARGS,
    ];
  return [
    'skopeo',
    'copy',
    '--all',
    '--preserve-digests',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    '-q',
    ...creds,
    `docker://${job.source}`,
    `docker://${job.destination}`,
  ];
}

/** Runs one copy under /usr/bin/time and returns wall-clock seconds, CPU and peak RSS. */
export async function timeCopy(job: CopyJob): Promise<Sample> {
  const rssFile = join(TMP, `rss-${job.tool}.txt`);
  // Flush what earlier steps wrote (a pushed source image, the other tool's copy), so writeback
  // of someone else's data does not land on whichever tool happens to run next.
  await run('sync', []);
  const started = performance.now();
  await run('/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, ...command(job)], {
    maxBuffer: 1 << 20,
    env: childEnv(),
  });
  const seconds = (performance.now() - started) / 1000;
  const [rssKb, user, sys] = ((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1) ?? '')
    .split(' ')
    .map(Number);
  return { seconds, rssMb: (rssKb ?? 0) / 1024, cpu: (user ?? 0) + (sys ?? 0), startedAt: started };
}

/**
 * The children's environment without NODE_EXTRA_CA_CERTS: this machine points it at the whole
 * system bundle, which costs every Node process ~150 ms at startup and is not part of a copy
 * (the registries here are plain HTTP). Set BENCH_KEEP_ENV=1 to measure with it.
 */
export function childEnv(): NodeJS.ProcessEnv {
  if (process.env.BENCH_KEEP_ENV === '1') return process.env;
  const { NODE_EXTRA_CA_CERTS: _dropped, ...env } = process.env;
  return env;
}

/** Throws unless `repo:1` on `registry` (read directly, not through a proxy) has `expected`. */
export async function checkDigest(registry: TestRegistry, repo: string, expected: string): Promise<void> {
  const accept = 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json';
  const res = await registry.fetch(`/v2/${repo}/manifests/1`, { method: 'HEAD', headers: { accept } });
  if (res.headers['docker-content-digest'] !== expected)
    throw new Error(`${repo} on ${registry.host} has the wrong digest`);
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The order of the two tools in pair `pair`: alternating, so neither always goes first. */
export function toolOrder(pair: number): Tool[] {
  return pair % 2 === 0 ? ['ar-mirror', 'skopeo'] : ['skopeo', 'ar-mirror'];
}
