/**
 * `npm run bench:scan`: generates a 20,000-file tree, then times `node dist/cli.js scan --json`
 * over it next to `grep -rn -E '^\s*(FROM|image:|- image:)' .` over the same tree (the floor).
 * Two tree shapes (BENCH_SHAPE=monorepo|platform|both, default both), so the figure is not
 * flattered by one layout:
 *
 *   monorepo: the original shape, many small files of eight kinds (bench/scan-trees/monorepo.ts)
 *   platform: Helm-rendered multi-document bundles, CRDs with large schemas, 4,000 YAML files
 *             that are not manifests, compose, Dockerfiles, sources (bench/scan-trees/platform.ts)
 *
 * Prints a markdown table per shape: median wall time, median CPU time (user + system: steadier
 * than wall time on a machine shared with other work), files/s and peak RSS. Only the local
 * filesystem is touched. Env: BENCH_FILES (default 20,000), BENCH_RUNS (default 5),
 * BENCH_BASELINE=path/to/other/cli.js times a second build in the same alternation, and
 * BENCH_TREE=dir generates the trees under dir/<shape> and keeps them (to diff reports).
 * After each shape it checks the output (bench/scan-check.ts): every reference's span holds its raw
 * text, every run printed the same report, and with BENCH_BASELINE the baseline's is identical.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spanMismatches } from './scan-check.js';
import { monorepoTree } from './scan-trees/monorepo.js';
import { platformTree } from './scan-trees/platform.js';
import type { TreeFile } from './scan-trees/types.js';

const TOTAL_FILES = Number(process.env.BENCH_FILES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;
const TREE = process.env.BENCH_TREE;
const SHAPES: Record<string, (total: number) => Iterable<TreeFile>> = {
  monorepo: monorepoTree,
  platform: platformTree,
};
const SHAPE = process.env.BENCH_SHAPE ?? 'both';

/** Writes the tree; returns the number of files and bytes written. */
function generate(root: string, files: Iterable<TreeFile>): { files: number; bytes: number } {
  let count = 0;
  let bytes = 0;
  for (const [rel, content] of files) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    count++;
    bytes += Buffer.byteLength(content);
  }
  return { files: count, bytes };
}

interface Timing {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  output: string;
}

function time(command: string, args: string[], cwd: string): Timing {
  const started = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const [user = 0, system = 0, rssKb = 0] = (result.stderr.trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { seconds, cpuSeconds: user + system, maxRssMb: rssKb / 1024, output: result.stdout };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface ToolRuns {
  name: string;
  command: string;
  args: string[];
  runs: Timing[];
}

function tools(): ToolRuns[] {
  const scan = (cli: string) => [path.resolve(cli), 'scan', '--json', '.'];
  const list: ToolRuns[] = [
    { name: 'ar-mirror scan --json', command: process.execPath, args: scan('dist/cli.js'), runs: [] },
    {
      name: 'grep -rn (floor)',
      command: 'grep',
      args: ['-rn', '-E', '^\\s*(FROM|image:|- image:)', '.'],
      runs: [],
    },
  ];
  if (BASELINE)
    list.splice(1, 0, { name: 'baseline', command: process.execPath, args: scan(BASELINE), runs: [] });
  return list;
}

/** The output checks: spans hold their raw text; every run printed the same report (and the baseline's). */
function check(root: string, list: ToolRuns[], references: Parameters<typeof spanMismatches>[1]): void {
  const ours = list[0]!.runs;
  const mismatches = spanMismatches(root, references);
  console.log(
    mismatches.length === 0
      ? `spans: all ${references.length} references' spans hold their raw text`
      : `WARNING: spans that do not hold their raw text:\n  ${mismatches.join('\n  ')}`,
  );
  if (ours.some((run) => run.output !== ours[0]!.output))
    console.log('WARNING: the runs printed different reports');
  if (!BASELINE) return;
  const baseline = list[1]!.runs;
  const same = baseline.every((run) => run.output === ours[0]!.output);
  console.log(same ? 'baseline: byte-identical report' : 'WARNING: the baseline printed a different report');
}

function report(shape: string, root: string, tree: { files: number; bytes: number }, list: ToolRuns[]): void {
  const result = JSON.parse(list[0]!.runs[0]!.output) as {
    references: Parameters<typeof spanMismatches>[1];
    diagnostics: unknown[];
  };
  const grepLines = list.at(-1)!.runs[0]!.output.split('\n').filter(Boolean).length;
  console.log(
    `\n### ${shape}: ${tree.files} files, ${(tree.bytes / 2 ** 20).toFixed(0)} MiB; ${result.references.length} references, ${result.diagnostics.length} diagnostics; grep matched ${grepLines} lines; ${RUNS} runs each\n`,
  );
  console.log('| tool | median wall time (s) | median CPU time (s) | files/s (wall) | peak RSS (MB) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const { name, runs } of list) {
    const seconds = median(runs.map((t) => t.seconds));
    const cpu = median(runs.map((t) => t.cpuSeconds));
    const rss = Math.max(...runs.map((t) => t.maxRssMb));
    console.log(
      `| ${name} | ${seconds.toFixed(2)} | ${cpu.toFixed(2)} | ${Math.round(tree.files / seconds)} | ${rss.toFixed(0)} |`,
    );
  }
  const ours = median(list[0]!.runs.map((t) => t.seconds));
  const grep = median(list.at(-1)!.runs.map((t) => t.seconds));
  const ourCpu = median(list[0]!.runs.map((t) => t.cpuSeconds));
  const grepCpu = median(list.at(-1)!.runs.map((t) => t.cpuSeconds));
  console.log(
    `\nratio ar-mirror / grep: ${(ours / grep).toFixed(2)}× wall, ${(ourCpu / Math.max(grepCpu, 0.01)).toFixed(2)}× CPU (target ≤ 4×, and < 3 s)`,
  );
  check(root, list, result.references);
}

function benchShape(shape: string): void {
  const root = TREE
    ? path.resolve(TREE, shape)
    : mkdtempSync(path.join(os.tmpdir(), `ar-mirror-bench-scan-${shape}-`));
  try {
    const exists = TREE && statSync(root, { throwIfNoEntry: false })?.isDirectory();
    if (exists) rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    const tree = generate(root, SHAPES[shape]!(TOTAL_FILES));
    const list = tools();
    // Alternate the tools so that cache warmth and background load affect them alike.
    for (let run = 0; run < RUNS; run++) {
      for (const tool of list) tool.runs.push(time(tool.command, tool.args, root));
    }
    report(shape, root, tree, list);
  } finally {
    if (!TREE) rmSync(root, { recursive: true, force: true });
  }
}

const shapes = SHAPE === 'both' ? Object.keys(SHAPES) : [SHAPE];
for (const shape of shapes) if (!SHAPES[shape]) throw new Error(`BENCH_SHAPE: unknown shape "${shape}"`);
const cpus = os.cpus();
console.log(
  `## ar-mirror scan vs grep (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n\n${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average before ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
for (const shape of shapes) benchShape(shape);
console.log(
  `\nload average after the runs: ${os
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
