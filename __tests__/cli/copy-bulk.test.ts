import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCopyCommand } from '../../src/commands/copy.js';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.js';
import { pushRandomImage } from '../support/images.js';
import { startRegistry, type TestRegistry } from '../support/registry.js';

// Fixed registry names routed to the local registries, so the canonical repositories (and with
// them the deal over shards) are the same on every run whatever ports the registries get.
let source: TestRegistry;
let destination: TestRegistry;
let recorder: FaultProxy;
let dir: string;
let env: NodeJS.ProcessEnv;

const IMAGES = [
  ['team/api:1', 1],
  ['team/api:2', 1], // the same image under a second tag: its blobs must move once
  ['team/web:1', 2],
  ['lib/redis:7', 3],
  ['lib/node:20', 4],
  ['lib/node:22', 5],
  ['tools/jq:1', 6],
  ['ops/agent:3', 7],
] as const;

const LIST = `# images for the platform migration
src.example/team/api:1
src.example/team/api:2   # same repository as the line above
src.example/team/web:1\tdst.example/custom/web:1
src.example/lib/redis:7
src.example/lib/node:20

src.example/lib/node:22
src.example/tools/jq:1
src.example/ops/agent:3
src.example/ghost/app:1
src.example/lib/redis:7
`;

beforeAll(async () => {
  [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
  recorder = await startFaultProxy(destination);
  for (const [name, seed] of IMAGES)
    await pushRandomImage(source, name, { seed, layers: 2, layerSize: 2048 });
  dir = mkdtempSync(join(tmpdir(), 'ar-mirror-bulk-'));
  writeFileSync(join(dir, 'images.txt'), LIST);
  env = {
    HOME: dir,
    DOCKER_CONFIG: dir,
    AR_MIRROR_REGISTRY_ENDPOINTS: `src.example=${source.url},dst.example=${recorder.url}`,
  };
});
afterAll(async () => {
  await recorder?.stop();
  await Promise.all([source?.stop(), destination?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface BulkJson {
  shard: { index: number; count: number } | null;
  total: number;
  failed: number;
  images: { source: string; destination: string; status: string; digest?: string; error?: string }[];
}

async function bulk(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCopyCommand(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    env,
    cwd: dir,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function runShards(count: number) {
  const shards = [];
  for (let index = 0; index < count; index++) {
    const run = await bulk([
      '--from-file',
      'images.txt',
      '--to',
      'dst.example/mirror',
      '--shard',
      `${index}/${count}`,
      '--json',
    ]);
    shards.push({ code: run.code, result: JSON.parse(run.stdout) as BulkJson });
  }
  return shards;
}

/** PUTs of a manifest by tag: one per image written (the engine also PUTs by digest first). */
const tagPuts = () =>
  recorder.requests
    .filter((r) => r.method === 'PUT' && /\/manifests\/(?!sha256:)/.test(r.path))
    .map((r) => r.path);
const blobPuts = () =>
  recorder.requests
    .filter((r) => r.method === 'PUT' && /\/blobs\/uploads\//.test(r.path))
    .map((r) => /digest=([^&]+)/.exec(r.path)?.[1]);
const repositoryOf = (image: string) => image.replace(/[:@][^/]*$/, '');

describe('copy --from-file --shard over local registries', () => {
  it('deals the list over 3 shards: the union is the whole list, each image copied once, exit codes per shard', async () => {
    const whole = [...new Set(LIST.split('\n').flatMap((line) => /^src\.example\/\S+/.exec(line) ?? []))];

    const shards = await runShards(3);

    const dealt = shards.flatMap((s) => s.result.images.map((i) => i.source));
    expect(dealt.sort()).toEqual(whole.sort());
    expect(new Set(dealt).size).toBe(dealt.length);
    expect(shards.map((s) => s.result.total)).toEqual([9, 9, 9]);
    expect(shards.filter((s) => s.result.images.length > 0).length).toBeGreaterThanOrEqual(2);
    for (const [index, shard] of shards.entries()) {
      expect(shard.result.shard).toEqual({ index, count: 3 });
      expect(shard.code).toBe(
        shard.result.images.some((i) => i.source === 'src.example/ghost/app:1') ? 1 : 0,
      );
    }
    // Every image of one repository lands in one shard.
    const shardOfRepository = new Map<string, number>();
    for (const [index, shard] of shards.entries())
      for (const image of shard.result.images) {
        expect(shardOfRepository.get(repositoryOf(image.source)) ?? index).toBe(index);
        shardOfRepository.set(repositoryOf(image.source), index);
      }
    // Nothing was written twice: one tag PUT per copied image, each blob uploaded at most once.
    const puts = tagPuts();
    expect(puts.length).toBe(8);
    expect(new Set(puts).size).toBe(8);
    expect(puts).toContain('/v2/custom/web/manifests/1');
    expect(puts).toContain('/v2/mirror/src.example/team/api/manifests/2');
    const blobs = blobPuts();
    expect(new Set(blobs).size).toBe(blobs.length);
    const failed = shards.flatMap((s) => s.result.images).filter((i) => i.status === 'failed');
    expect(failed.map((i) => i.source)).toEqual(['src.example/ghost/app:1']);
  });

  it('a rerun of every shard is idempotent: nothing written, same exit codes', async () => {
    const before = recorder.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length;

    const shards = await runShards(3);

    expect(recorder.requests.filter((r) => r.method === 'PUT' || r.method === 'POST').length).toBe(before);
    const statuses = shards.flatMap((s) => s.result.images.map((i) => i.status));
    expect(statuses.filter((s) => s === 'existing').length).toBe(8);
    expect(shards.map((s) => s.code).sort()).toEqual([0, 0, 1]);
  });

  it('prints one table and a summary line, and exits 1 when any image failed', async () => {
    const { code, stdout, stderr } = await bulk(['--from-file', 'images.txt', '--to', 'dst.example/mirror']);

    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+DESTINATION\s+RESULT\s+DIGEST$/);
    expect(lines.filter((line) => / existing /.test(line)).length).toBe(8);
    expect(stdout).toContain('failed src.example/ghost/app:1 (images.txt:11): ');
    expect(lines.at(-1)).toBe('9 image(s): 0 pushed, 0 mounted, 8 existing, 1 failed');
    expect(stderr).toContain('failed to mirror src.example/ghost/app:1');
  });

  it('reads the JSON of scan --json, skipping first-party references', async () => {
    const report = {
      references: [
        { image: 'src.example/lib/redis:7', thirdParty: true },
        { image: 'us-docker.pkg.dev/p/r/app:1', thirdParty: false },
      ],
      diagnostics: [],
    };
    writeFileSync(join(dir, 'scan.json'), JSON.stringify(report));

    const { code, stdout } = await bulk(['--from-file', 'scan.json', '--to', 'dst.example/mirror', '--json']);

    expect(code).toBe(0);
    expect((JSON.parse(stdout) as BulkJson).images).toEqual([
      expect.objectContaining({
        source: 'src.example/lib/redis:7',
        destination: 'dst.example/mirror/src.example/lib/redis:7',
        status: 'existing',
      }),
    ]);
  });

  it.each([
    [['--from-file', 'images.txt'], 'images.txt:2: no DESTINATION on this line; give one or pass --to'],
    [['--from-file', 'images.txt', '--to', 'dst.example/m', '--shard', '3/3'], '--shard "3/3" must be I/N'],
    [['--from-file', 'missing.txt', '--to', 'dst.example/m'], '--from-file missing.txt: cannot read: ENOENT'],
    [['--from-file', 'images.txt', 'extra'], '--from-file takes no SOURCE or DESTINATION arguments'],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const { code, stderr } = await bulk(argv);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
