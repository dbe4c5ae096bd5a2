/**
 * `npm run bench:bulk`: one machine's throughput for `ar-mirror copy --from-file` between two
 * local registries (plain HTTP, no auth), and the registry requests it costs per image, the
 * figures docs/scale.md multiplies against Artifact Registry's quota.
 *
 *   cold:  the list into an empty destination (every blob uploaded), timed, no proxy
 *   count: the same list into another empty destination through a recording proxy (requests
 *          and writes per image; the proxy costs time, so this run is not timed)
 *   warm:  the list again into the complete destination (what a re-run of a shard costs)
 *
 * Runs the checked-in dist/cli.js (run `npm run build` first). Env: BENCH_IMAGES (default 20),
 * BENCH_LAYERS per platform (default 3), BENCH_LAYER_KB (default 1024), BENCH_PLATFORMS
 * (default 2), BENCH_IMAGES_AT_ONCE (--images, default 4).
 */
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startFaultProxy } from '../__tests__/support/fault-proxy.js';
import { pushRandomImage } from '../__tests__/support/images.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';

const run = promisify(execFile);
const IMAGES = Number(process.env.BENCH_IMAGES ?? 20);
const LAYERS = Number(process.env.BENCH_LAYERS ?? 3);
const LAYER_KB = Number(process.env.BENCH_LAYER_KB ?? 1024);
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'].slice(
  0,
  Number(process.env.BENCH_PLATFORMS ?? 2),
);
const AT_ONCE = Number(process.env.BENCH_IMAGES_AT_ONCE ?? 4);
const TMP = join(process.cwd(), '.bench-tmp', 'bulk');
const CLI = join(process.cwd(), 'dist', 'cli.js');
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Result {
  images: { status: string; bytes?: number }[];
  failed: number;
}

async function copyList(to: string, hosts: string[]): Promise<{ seconds: number; result: Result }> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    [CLI, 'copy', '--from-file', join(TMP, 'list.txt'), '--to', to, '--images', String(AT_ONCE), '--json'],
    {
      env: { ...process.env, AR_MIRROR_PLAIN_HTTP: hosts.join(','), HOME: TMP, DOCKER_CONFIG: TMP },
      maxBuffer: 64 << 20,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const result = JSON.parse(stdout) as Result;
  if (result.failed > 0) throw new Error(`${result.failed} image(s) failed`);
  return { seconds, result };
}

async function pushImages(source: TestRegistry): Promise<{ blobs: number; bytes: number }> {
  let blobs = 0;
  let bytes = 0;
  const lines: string[] = [];
  for (let i = 0; i < IMAGES; i++) {
    // Ten repositories with two tags each, like an estate's list: tags of one repository share a shard.
    const name = `team-${i % 10}/app:${Math.floor(i / 10) + 1}`;
    const image = await pushRandomImage(source, name, {
      platforms: PLATFORMS,
      layers: LAYERS,
      layerSize: LAYER_KB * 1024,
      sharedLayers: 1,
    });
    blobs += image.blobs.length;
    bytes += image.blobs.reduce((sum, blob) => sum + blob.size, 0);
    lines.push(`${source.host}/${name}`);
  }
  await writeFile(join(TMP, 'list.txt'), `${lines.join('\n')}\n`);
  return { blobs, bytes };
}

async function main(): Promise<void> {
  await rm(TMP, { recursive: true, force: true });
  await mkdir(TMP, { recursive: true });
  const registries = await Promise.all([startRegistry(), startRegistry(), startRegistry()]);
  const [source, cold, counted] = registries;
  const proxy = await startFaultProxy(counted!);
  try {
    const pushed = await pushImages(source!);
    const loadBefore = loadavg()[0]!;
    const coldRun = await copyList(`${cold!.host}/mirror`, [source!.host, cold!.host]);
    const loadAfter = loadavg()[0]!;
    await copyList(`${proxy.host}/mirror`, [source!.host, proxy.host]);
    const coldRequests = [...proxy.requests];
    proxy.requests.length = 0;
    const warmRun = await copyList(`${proxy.host}/mirror`, [source!.host, proxy.host]);
    const warmRequests = [...proxy.requests];
    const writes = (requests: typeof coldRequests) => requests.filter((r) => WRITES.has(r.method)).length;
    const mib = pushed.bytes / 1024 / 1024;
    console.log(
      JSON.stringify(
        {
          images: IMAGES,
          platforms: PLATFORMS.length,
          layersPerPlatform: LAYERS,
          blobs: pushed.blobs,
          mib: Number(mib.toFixed(1)),
          imagesAtOnce: AT_ONCE,
          cold: {
            seconds: Number(coldRun.seconds.toFixed(2)),
            imagesPerMinute: Math.round((IMAGES / coldRun.seconds) * 60),
            mibPerSecond: Number((mib / coldRun.seconds).toFixed(1)),
            requestsPerImage: Number((coldRequests.length / IMAGES).toFixed(1)),
            writesPerImage: Number((writes(coldRequests) / IMAGES).toFixed(1)),
            requestsPerBlob: Number((coldRequests.length / pushed.blobs).toFixed(2)),
          },
          warm: {
            seconds: Number(warmRun.seconds.toFixed(2)),
            requestsPerImage: Number((warmRequests.length / IMAGES).toFixed(1)),
            writesPerImage: Number((writes(warmRequests) / IMAGES).toFixed(1)),
          },
          loadAverage1m: { before: loadBefore, after: loadAfter },
          cores: (await import('node:os')).cpus().length,
        },
        null,
        2,
      ),
    );
  } finally {
    await proxy.stop();
    await Promise.all(registries.map((registry) => registry.stop()));
    await rm(TMP, { recursive: true, force: true });
  }
}

await main();
