/**
 * `npm run bench:scan`: generates a synthetic monorepo of 20,000 files (Dockerfiles,
 * multi-document manifests, compose files, non-manifest YAML and plain source files), then
 * times `node dist/cli.js scan --json` over it next to `grep -rn` over the same tree (the floor).
 * Prints a markdown table: median wall time, median CPU time (user + system: steadier than wall
 * time on a machine shared with other work), files/s and peak RSS. Only the local filesystem is
 * touched. BENCH_BASELINE=path/to/other/cli.js times a second build in the same alternation, so
 * a change can be compared with what it replaces under the same load.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TOTAL_FILES = Number(process.env.BENCH_FILES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;
/** BENCH_TREE=dir generates the tree there and keeps it (to diff reports across builds). */
const TREE = process.env.BENCH_TREE;

const images = [
  'nginx:1.25',
  'redis:7.2-alpine',
  'quay.io/prometheus/node-exporter:v1.8.0',
  'ghcr.io/acme/api:2.3.1',
  'us-docker.pkg.dev/acme/prod/web:1',
];
const pick = (i: number) => images[i % images.length]!;

const generators: ((i: number) => [string, string])[] = [
  (i) => [
    `svc${i}/Dockerfile`,
    `# syntax=docker/dockerfile:1\nARG BASE=${pick(i)}\nFROM \${BASE} AS build\nRUN make\nFROM ${pick(i + 1)}\nCOPY --from=build /out /app\n`,
  ],
  (i) => [
    `k8s/app${i}/deploy.yaml`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${i}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: ${pick(i)}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app${i}\nspec:\n  ports: [{port: 80}]\n`,
  ],
  (i) => [
    `stack${i}/compose.yaml`,
    `services:\n  web:\n    image: ${pick(i)}\n  api:\n    build: .\n    image: acme/api\n`,
  ],
  (i) => [
    `docs${i}/mkdocs.yml`,
    `site_name: Docs ${i}\ntheme:\n  name: material\nextra:\n  image: img/banner.png\n`,
  ],
  (i) => [`src/pkg${i}/index.ts`, `export const value${i} = ${i};\n// image: not-a-manifest\n`.repeat(20)],
  (i) => [`src/pkg${i}/README.md`, `# Package ${i}\n\nRun \`docker run ${pick(i)}\`.\n`],
  (i) => [
    `conf/settings${i}.yaml`,
    `server:\n  port: ${8000 + (i % 1000)}\n  features: [a, b, c]\nimage:\n  width: 20\n`,
  ],
  (i) => [`lib/mod${i}.py`, `def f${i}():\n    return ${i}\n`.repeat(15)],
];

function generate(root: string): void {
  for (let i = 0; i < TOTAL_FILES; i++) {
    const [rel, content] = generators[i % generators.length]!(i);
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
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

const root = TREE ? path.resolve(TREE) : mkdtempSync(path.join(os.tmpdir(), 'ar-mirror-bench-scan-'));
try {
  generate(root);
  const scan = (cli: string) => [path.resolve(cli), 'scan', '--json', '.'];
  const tools: { name: string; command: string; args: string[]; runs: Timing[] }[] = [
    { name: 'ar-mirror scan --json', command: process.execPath, args: scan('dist/cli.js'), runs: [] },
    {
      name: 'grep -rn (floor)',
      command: 'grep',
      args: ['-rn', '-E', '^\\s*(FROM|image:|- image:)', '.'],
      runs: [],
    },
  ];
  if (BASELINE)
    tools.splice(1, 0, { name: 'baseline', command: process.execPath, args: scan(BASELINE), runs: [] });
  // Alternate the tools so that cache warmth and background load affect them alike.
  for (let run = 0; run < RUNS; run++) {
    for (const tool of tools) tool.runs.push(time(tool.command, tool.args, root));
  }
  const report = JSON.parse(tools[0]!.runs[0]!.output) as { references: unknown[]; diagnostics: unknown[] };
  if (BASELINE && tools[1]!.runs[0]!.output !== tools[0]!.runs[0]!.output)
    console.log('WARNING: the baseline printed a different report');
  const cpus = os.cpus();
  const load = os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
  console.log(
    `machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average after the runs ${load}`,
  );
  console.log(
    `tree: ${TOTAL_FILES} files; ${report.references.length} references, ${report.diagnostics.length} diagnostics found; ${RUNS} runs each\n`,
  );
  console.log('| tool | median wall time (s) | median CPU time (s) | files/s (wall) | peak RSS (MB) |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const { name, runs } of tools) {
    const seconds = median(runs.map((t) => t.seconds));
    const cpu = median(runs.map((t) => t.cpuSeconds));
    const rss = Math.max(...runs.map((t) => t.maxRssMb));
    console.log(
      `| ${name} | ${seconds.toFixed(2)} | ${cpu.toFixed(2)} | ${Math.round(TOTAL_FILES / seconds)} | ${rss.toFixed(0)} |`,
    );
  }
  const ours = median(tools[0]!.runs.map((t) => t.seconds));
  const grep = median(tools[tools.length - 1]!.runs.map((t) => t.seconds));
  console.log(`\nratio ar-mirror / grep: ${(ours / grep).toFixed(2)}× (target ≤ 4×, and < 3 s)`);
} finally {
  if (!TREE) rmSync(root, { recursive: true, force: true });
}
