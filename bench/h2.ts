/**
 * `npm run bench:h2`: the same copy over HTTP/1.1 and over HTTP/2, between two local TLS
 * registries (distribution with `http.tls` speaks h2 through ALPN). Each pair copies once with
 * HTTP/2 offered and once without (order alternating), each into a fresh destination registry,
 * in this process through the engine (a run's session with every shortcut), so only the
 * protocol differs. Reports the median wall time, this process's CPU time, and the connections
 * opened per protocol (undici's `undici:client:connected` diagnostics channel).
 *
 * Env: BENCH_PAIRS (default 5), BENCH_H2_SHAPE=wan1|small|both (default both): `wan1` is issue
 * 12's image (3 platforms × 6 × 3 MiB), `small` many small blobs (3 × 30 × 128 KiB), where
 * per-request costs weigh most. BENCH_H2_LINK=wan1|wan2 puts a TLS-terminating WAN proxy
 * (bench/wan-proxy.ts with `tls`) with that profile in front of each (plain) registry, so the
 * protocols are compared over round trips and paced streams; default: loopback, where the
 * registries themselves speak TLS.
 */
import diagnostics from 'node:diagnostics_channel';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { type PushedImage, pushRandomImage, type RandomImageOptions } from '../__tests__/support/images.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';
import { createTlsMaterial, type TlsMaterial } from '../__tests__/support/tls.js';
import { copyImage } from '../src/registry/copy.js';
import { anonymousKeychain } from '../src/registry/credentials/types.js';
import { ALL_SHORTCUTS, createCopySession } from '../src/registry/session.js';
import { checkDigest, median } from './copy-tools.js';
import { startWanProxy, WAN_PROFILES, type WanProxy } from './wan-proxy.js';

const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? 5));
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];
const SHAPES: Record<string, RandomImageOptions> = {
  wan1: { platforms: PLATFORMS, layers: 6, layerSize: 3 << 20, sharedLayers: 1, seed: 12 },
  small: { platforms: PLATFORMS, layers: 30, layerSize: 128 << 10, sharedLayers: 1, seed: 14 },
};

interface Sample {
  ms: number;
  cpuMs: number;
  connections: number;
  protocols: string;
}

const LINK =
  process.env.BENCH_H2_LINK === 'wan1' || process.env.BENCH_H2_LINK === 'wan2'
    ? process.env.BENCH_H2_LINK
    : undefined;

/** A registry as the copy sees it: its name, the URL of its API, and how to stop it. */
interface End {
  registry: TestRegistry;
  host: string;
  url: string;
  ca: string;
  stop(): Promise<void>;
}

/**
 * A TLS registry on loopback, or with a link a plain registry behind a TLS WAN proxy (the
 * proxies share one throwaway CA, `tls`).
 */
async function startEnd(side: 'source' | 'destination', tls: TlsMaterial | undefined): Promise<End> {
  if (!LINK || !tls) {
    const registry = await startRegistry({ mode: 'tls' });
    return {
      registry,
      host: registry.host,
      url: registry.url,
      ca: registry.caPem ?? '',
      stop: () => registry.stop(),
    };
  }
  const registry = await startRegistry({ mode: 'none' });
  const proxy: WanProxy = await startWanProxy({
    ...WAN_PROFILES[LINK][side],
    target: registry.url,
    tls: { key: tls.keyPem, cert: tls.certPem },
  });
  const stop = async () => {
    await proxy.stop();
    await registry.stop();
  };
  return { registry, host: proxy.host, url: proxy.url, ca: tls.caPem, stop };
}

const connected: string[] = [];
diagnostics.subscribe('undici:client:connected', (message: unknown) => {
  const { socket } = message as { socket: TLSSocket };
  connected.push(String(socket.alpnProtocol || 'http/1.1'));
});

async function copyOnce(src: End, http2: boolean, tls: TlsMaterial | undefined): Promise<Sample> {
  const dst = await startEnd('destination', tls);
  const endpoints = { [src.host]: src.url, [dst.host]: dst.url };
  // Each TLS test registry has its own throwaway CA.
  const ca = `${src.ca}\n${dst.ca}`;
  const session = createCopySession({ ca, http2, shortcuts: ALL_SHORTCUTS });
  connected.length = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  try {
    const result = await copyImage(`${src.host}/bench/app:1`, `${dst.host}/bench/app:1`, {
      keychain: anonymousKeychain,
      endpoints,
      session,
    });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const used = process.cpuUsage(cpu);
    await checkDigest(dst.registry, 'bench/app', result.digest);
    const counts = new Map<string, number>();
    for (const p of connected) counts.set(p, (counts.get(p) ?? 0) + 1);
    const protocols = [...counts].map(([p, n]) => `${n} ${p}`).join(', ');
    return { ms, cpuMs: (used.user + used.system) / 1000, connections: connected.length, protocols };
  } finally {
    await session.close();
    await dst.stop();
  }
}

async function runShape(
  name: string,
  image: RandomImageOptions,
  tls: TlsMaterial | undefined,
): Promise<string[]> {
  const src = await startEnd('source', tls);
  const rows: string[] = [];
  try {
    const pushed: PushedImage = await pushRandomImage(src.registry, 'bench/app:1', image);
    const samples: Record<'h1' | 'h2', Sample[]> = { h1: [], h2: [] };
    for (let pair = 0; pair < PAIRS; pair++) {
      for (const mode of pair % 2 === 0 ? (['h2', 'h1'] as const) : (['h1', 'h2'] as const)) {
        const sample = await copyOnce(src, mode === 'h2', tls);
        samples[mode].push(sample);
        console.error(
          `${name} ${mode} pair ${pair + 1}: ${sample.ms.toFixed(0)} ms, cpu ${sample.cpuMs.toFixed(0)} ms, ${sample.protocols}`,
        );
      }
    }
    const blobs = pushed.blobs.length;
    for (const mode of ['h1', 'h2'] as const) {
      const s = samples[mode];
      rows.push(
        `| ${name} (${blobs} blobs) | ${mode === 'h2' ? 'HTTP/2 offered' : 'HTTP/1.1 only'} | ${median(s.map((x) => x.ms)).toFixed(0)} | ${s.map((x) => x.ms.toFixed(0)).join(', ')} | ${median(s.map((x) => x.cpuMs)).toFixed(0)} | ${s.at(-1)?.protocols ?? ''} |`,
      );
    }
  } finally {
    await src.stop();
  }
  return rows;
}

async function main(): Promise<void> {
  const shape = process.env.BENCH_H2_SHAPE ?? 'both';
  const names = shape === 'both' ? Object.keys(SHAPES) : [shape];
  const before = loadavg();
  const rows: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'bench-h2-'));
  try {
    await mkdir(dir, { recursive: true });
    const tls = LINK ? await createTlsMaterial(dir) : undefined;
    for (const name of names) rows.push(...(await runShape(name, SHAPES[name]!, tls)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(
    [
      `## HTTP/1.1 against HTTP/2 between local TLS registries (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
      '',
      `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; ${PAIRS} pairs; link: ${LINK ?? 'loopback'}; load average before ${load(before)}, after ${load(loadavg())}.`,
      '',
      '| image | protocol | median ms | runs (ms) | median CPU ms (this process) | connections (last run) |',
      '|---|---|---:|---|---:|---|',
      ...rows,
    ].join('\n'),
  );
}

await main();
