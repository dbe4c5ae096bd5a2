/**
 * `npm run bench:startup`: what a short command costs before it does anything. Times, alternating
 * in every round, `node -e 0` (the floor), `node dist/cli.js --version` against `skopeo --version`,
 * `scan --json` of a three-file tree, and a warm no-op copy (the image is already at the
 * destination: two HEADs) against skopeo's warm copy, between two local registries.
 *
 * Then it lists what each ar-mirror command loads: run with bench/startup-probe.mjs preloaded, whose
 * module hook records the entry point and every chunk of dist/cli-chunks/ imported, so the figures
 * say which packages (yaml, undici, google-auth-library, …) and Node built-ins a command pays for,
 * and what to make lazy.
 * Env: BENCH_RUNS (default 15). Runs the checked-in dist/cli.js: `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { pushRandomImage } from '../__tests__/support/images.js';
import { startRegistry } from '../__tests__/support/registry.js';
import { CLI, childEnv, median, TMP } from './copy-tools.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 15));
const DIR = join(TMP, 'startup');
const PROBE = join(process.cwd(), 'bench', 'startup-probe.mjs');

interface Case {
  name: string;
  tool: 'ar-mirror' | 'skopeo' | 'node';
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** ar-mirror arguments for the module probe (without `node dist/cli.js`). */
  probe?: string[];
  runs: { ms: number; cpuMs: number; rssMb: number }[];
}

function timeOnce(c: Case): Case['runs'][number] {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ...c.argv], {
    encoding: 'utf8',
    env: c.env ?? childEnv(),
    maxBuffer: 16 << 20,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${c.argv.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  const [user = 0, sys = 0, rssKb = 0] = (result.stderr.trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rssKb / 1024 };
}

function writeTinyTree(root: string): void {
  mkdirSync(join(root, 'k8s'), { recursive: true });
  writeFileSync(
    join(root, 'Dockerfile'),
    'FROM golang:1.22 AS build\nRUN go build\nFROM gcr.io/distroless/static\n',
  );
  writeFileSync(
    join(root, 'k8s', 'deploy.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          image: nginx:1.25\n',
  );
  writeFileSync(join(root, 'compose.yaml'), 'services:\n  db:\n    image: postgres:16\n');
}

/**
 * A module importing just the Node built-ins the entry point imports at its top level (ES imports
 * are hoisted, so a file loads every built-in any of its modules names, lazy or not): timing it
 * splits `--version` into Node itself, the built-ins, and compiling and running the entry point.
 */
function builtinsOnly(): string {
  const specifiers = new Set(
    [...readFileSync(CLI, 'utf8').matchAll(/^import [^;]*?from ["'](node:[^"']+)["'];?$/gms)].map(
      (m) => m[1]!,
    ),
  );
  const file = join(DIR, 'builtins.mjs');
  writeFileSync(file, [...specifiers].map((s) => `import '${s}';`).join('\n'));
  return file;
}

interface Probe {
  /** Every file module loaded: the entry point and the chunks it imported. */
  files: string[];
  builtins: string[];
}

function probe(argv: string[]): Probe {
  const out = join(DIR, 'probe.json');
  const env = { ...childEnv(), AR_MIRROR_PROBE_OUT: out };
  const result = spawnSync(process.execPath, ['--import', PROBE, ...argv], { encoding: 'utf8', env });
  if (result.status !== 0) throw new Error(`probe ${argv.join(' ')} failed: ${result.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Probe;
}

/** The modules a bundle file holds, from the `// path` comment esbuild puts before each. */
function modulesIn(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ ((?:node_modules|src)\/\S+)$/gm)].map((m) => m[1]!);
}

/** `node_modules/@scope/name/…` or `node_modules/name/…` → the package name. */
function packageOf(path: string): string | undefined {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match?.[1];
}

function moduleTable(cases: Case[]): string[] {
  const floor = new Set(probe(['-e', '0']).builtins);
  const lines = [
    '| command | files loaded (KiB) | src modules in them | yaml | undici | google-auth-library | other packages | Node built-ins beyond `node -e 0` |',
    '|---|---:|---:|---|---|---|---|---|',
  ];
  for (const c of cases.filter((x) => x.probe)) {
    const seen = probe([CLI, ...c.probe!]);
    const files = seen.files.filter((f) => f.startsWith(dirname(CLI)));
    const kib = files.reduce((sum, f) => sum + statSync(f).size, 0) / 1024;
    const modules = files.flatMap(modulesIn);
    const src = modules.filter((p) => p.startsWith('src/')).length;
    const packages = [...new Set(modules.flatMap((p) => packageOf(p) ?? []))].sort();
    const has = (name: string) => (packages.includes(name) ? 'yes' : 'no');
    const others = packages.filter((p) => !['yaml', 'undici', 'google-auth-library'].includes(p));
    const builtins = seen.builtins.filter((b) => !floor.has(b) && !b.startsWith('internal/'));
    lines.push(
      `| ${c.name} | ${files.length} (${kib.toFixed(0)}) | ${src} | ${has('yaml')} | ${has('undici')} | ${has('google-auth-library')} | ${others.join(', ') || '–'} | ${builtins.join(', ') || '–'} |`,
    );
  }
  return lines;
}

function timeTable(cases: Case[]): string[] {
  const lines = [
    '| command | tool | median ms | min ms | median CPU ms | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const c of cases) {
    const ms = c.runs.map((r) => r.ms);
    lines.push(
      `| ${c.name} | ${c.tool} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)} | ${median(c.runs.map((r) => r.cpuMs)).toFixed(0)} | ${Math.max(...c.runs.map((r) => r.rssMb)).toFixed(0)} |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  writeTinyTree(join(DIR, 'tiny'));
  const [src, dst] = await Promise.all([startRegistry(), startRegistry()]);
  try {
    await pushRandomImage(src, 'bench/small:1', {
      platforms: ['linux/amd64', 'linux/arm64'],
      layers: 2,
      seed: 5,
    });
    const copyArgs = [
      'copy',
      `${src.host}/bench/small:1`,
      `${dst.host}/bench/small:1`,
      '--plain-http',
      '127.0.0.1',
      '--json',
    ];
    const skopeoCopy = [
      'skopeo',
      'copy',
      '--all',
      '--preserve-digests',
      '--src-tls-verify=false',
      '--dest-tls-verify=false',
      '-q',
    ];
    const c = (name: string, tool: Case['tool'], argv: string[], extra: Partial<Case> = {}): Case => ({
      name,
      tool,
      argv,
      runs: [],
      ...extra,
    });
    const cases: Case[] = [
      c('node -e 0 (floor)', 'node', ['node', '-e', '0']),
      c("node: the entry point's built-in imports only", 'node', ['node', builtinsOnly()]),
      c('--version', 'ar-mirror', ['node', CLI, '--version'], { probe: ['--version'] }),
      c('--version', 'skopeo', ['skopeo', '--version']),
      c('scan --json, 3 files', 'ar-mirror', ['node', CLI, 'scan', '--json', join(DIR, 'tiny')], {
        probe: ['scan', '--json', join(DIR, 'tiny')],
      }),
      c('warm no-op copy', 'ar-mirror', ['node', CLI, ...copyArgs], { probe: copyArgs }),
      c('warm no-op copy', 'skopeo', [
        ...skopeoCopy,
        `docker://${src.host}/bench/small:1`,
        `docker://${dst.host}/bench/small:1`,
      ]),
    ];
    if (process.env.NODE_EXTRA_CA_CERTS)
      cases.push(
        c('--version, NODE_EXTRA_CA_CERTS as set here', 'ar-mirror', ['node', CLI, '--version'], {
          env: process.env,
        }),
      );
    timeOnce(cases[4]!); // the first copy fills the destination; every timed one is then a no-op
    for (let run = 0; run < RUNS; run++) for (const x of cases) x.runs.push(timeOnce(x));
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    console.log(
      [
        `## Start-up (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
        '',
        `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${RUNS} runs each, alternating; load average after ${load}. NODE_EXTRA_CA_CERTS removed unless stated.`,
        '',
        ...timeTable(cases),
        '',
        '### What each command loads',
        '',
        ...moduleTable(cases),
      ].join('\n'),
    );
  } finally {
    await Promise.all([src.stop(), dst.stop()]);
    rmSync(DIR, { recursive: true, force: true });
  }
}

await main();
