/**
 * The WAN cases of `npm run bench:copy`: both tools copy through two WAN proxies (bench/wan-proxy.ts),
 * one in front of the source registry and one in front of each fresh destination, so they cross
 * the same shaped links; the proxies count every request.
 */

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomImageOptions } from '../__tests__/support/images.js';
import { pushRandomImage } from '../__tests__/support/images.js';
import { startRegistry, type TestRegistry } from '../__tests__/support/registry.js';
import type { Results } from './copy-report.js';
import { checkDigest, type Sample, type Tool, timeCopy, toolOrder } from './copy-tools.js';
import { startWanProxy, WAN_PROFILES, type WanProfile, type WanProxy } from './wan-proxy.js';

/** A WAN case: its links and its image. */
export interface WanCase {
  name: 'wan1' | 'wan2';
  profile: WanProfile;
  image: RandomImageOptions;
}

const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7'];

/**
 * wan1 is issue 12's measurement: a 3-platform index of 6 × 3 MiB layers per platform, one of
 * them shared (16 distinct layers, 48 MiB). wan2 is the slow link with many small layers: 30 ×
 * 1 MiB per platform, one shared (88 distinct layers, 88 MiB), where round trips per blob dominate.
 */
export const WAN_CASES: Readonly<Record<WanCase['name'], WanCase>> = {
  wan1: {
    name: 'wan1',
    profile: WAN_PROFILES.wan1,
    image: { platforms: PLATFORMS, layers: 6, layerSize: 3 << 20, sharedLayers: 1, seed: 12 },
  },
  wan2: {
    name: 'wan2',
    profile: WAN_PROFILES.wan2,
    image: { platforms: PLATFORMS, layers: 30, layerSize: 1 << 20, sharedLayers: 1, seed: 13 },
  },
};

/** How the WAN cases run. */
export interface WanSettings {
  pairs: number;
  /** `token`: both registries ask for Bearer tokens (anonymous pull at the source), as Docker Hub and Artifact Registry do. */
  auth: 'none' | 'token';
  /** Add a round trip to the first request of each new connection (TCP handshake). */
  handshake: boolean;
  /** A directory to write each copy's request trace to (bench/trace-report.ts reads them). Default: none. */
  traceDir?: string | undefined;
}

/** A registry and its proxy. */
interface End {
  registry: TestRegistry;
  proxy: WanProxy;
}

async function startEnd(settings: WanSettings, link: WanProfile['source']): Promise<End> {
  const registry = await startRegistry({ mode: settings.auth });
  const proxy = await startWanProxy({
    target: registry.url,
    ...link,
    ...(settings.handshake ? { handshakeMs: link.delayMs } : {}),
    ...(registry.tokenRealm ? { tokenOrigin: new URL(registry.tokenRealm).origin } : {}),
  });
  return { registry, proxy };
}

async function stopEnd(end: End): Promise<void> {
  await end.proxy.stop();
  await end.registry.stop();
}

/** Writes both proxies' traces of one copy, with the copy's start and end on the same clock. */
async function writeTrace(file: string, sample: Sample, source: End, destination: End): Promise<void> {
  const trace = {
    startedAt: sample.startedAt,
    endedAt: sample.startedAt + sample.seconds * 1000,
    source: source.proxy.trace(),
    destination: destination.proxy.trace(),
  };
  await writeFile(file, JSON.stringify(trace));
}

/** One copy through both proxies, with the requests each counted and the proxies' CPU. */
async function timedCopy(tool: Tool, source: End, destination: End, repo: string): Promise<Sample> {
  source.proxy.reset();
  destination.proxy.reset();
  const { username, password } = destination.registry;
  const before = process.cpuUsage();
  const sample = await timeCopy({
    tool,
    source: `${source.proxy.host}/${repo}:1`,
    destination: `${destination.proxy.host}/${repo}:1`,
    destinationCreds: username ? `${username}:${password}` : undefined,
  });
  const cpu = process.cpuUsage(before);
  return {
    ...sample,
    proxyCpu: (cpu.user + cpu.system) / 1e6,
    requests: { source: source.proxy.counts(), destination: destination.proxy.counts() },
  };
}

/** Runs one WAN case: `pairs` pairs, each tool cold into its own fresh destination, then warm. */
export async function runWanCase(wan: WanCase, settings: WanSettings, results: Results): Promise<void> {
  const source = await startEnd(settings, wan.profile.source);
  const repo = `bench/${wan.name}`;
  try {
    console.error(`${wan.name}: building the image…`);
    const image = await pushRandomImage(source.registry, `${repo}:1`, wan.image);
    for (let pair = 0; pair < settings.pairs; pair++) {
      const order = toolOrder(pair);
      const ends = await Promise.all(order.map(() => startEnd(settings, wan.profile.destination)));
      try {
        for (const phase of ['cold', 'warm'] as const) {
          for (const [i, tool] of order.entries()) {
            const sample = await timedCopy(tool, source, ends[i]!, repo);
            if (settings.traceDir) {
              const file = join(settings.traceDir, `${wan.name}-${phase}-${tool}-${pair + 1}.json`);
              await writeTrace(file, sample, source, ends[i]!);
            }
            await checkDigest(ends[i]!.registry, repo, image.digest);
            results.add(wan.name, phase, tool, sample);
            const total = (sample.requests?.source.total ?? 0) + (sample.requests?.destination.total ?? 0);
            console.error(
              `${wan.name} pair ${pair + 1} ${phase} ${tool}: ${sample.seconds.toFixed(2)} s, cpu ${sample.cpu.toFixed(2)} s, ${sample.rssMb.toFixed(0)} MB, ${total} requests`,
            );
          }
        }
      } finally {
        await Promise.all(ends.map(stopEnd));
      }
    }
  } finally {
    await stopEnd(source);
  }
}
