/**
 * The `platform` tree of `npm run bench:scan`: a platform team's repository, the shape where
 * issue 12 measured a 12× ratio to grep. Per 20,000 files: 3,000 Helm-rendered bundles (10–20
 * documents each: ConfigMaps with embedded configs, Secrets, RBAC, workloads with several
 * containers, CronJobs, autoscalers, Ingresses), 600 CRDs with large OpenAPI schemas, 4,000 YAML
 * files that are not manifests (OpenAPI specs, app configs, mkdocs, CI pipelines, workflows
 * without containers, tool configs), 300 Helm charts, 300 kustomizations, 1,000 compose files,
 * 1,500 Dockerfiles and 9,000 sources (TypeScript, Go, Python, Markdown). Seeded: the same tree
 * on every run.
 */
import { configMap, crd, cronJob, extras, rbac, secret, service, workload } from './k8s-docs.js';
import { chart, compose, dockerfile, kustomization, source } from './other-files.js';
import { appConfig, ciPipeline, mkdocs, openApi, toolConfig, workflow } from './other-yaml.js';
import { createRng, type Rng } from './random.js';
import type { TreeFile } from './types.js';

const ENVS = ['dev', 'staging', 'prod'];

/** One `helm template` output: `# Source:` comments and many documents. */
function helmBundle(rng: Rng, i: number): TreeFile[] {
  const name = `${rng.word()}-${rng.word()}`;
  const chartName = `${name}-chart`;
  const docs: [string, string][] = [
    ['configmap', configMap(rng, name, chartName)],
    ['secret', secret(rng, name, chartName)],
    ...rbac(rng, name, chartName).map((doc): [string, string] => ['rbac', doc]),
    ['service', service(rng, name, chartName)],
    ...Array.from({ length: rng.between(1, 2) }, (): [string, string] => [
      'workload',
      workload(rng, name, chartName),
    ]),
    ...(rng.chance(0.3) ? [['cronjob', cronJob(rng, name, chartName)] as [string, string]] : []),
    ...extras(rng, name, chartName).map((doc): [string, string] => ['extras', doc]),
  ];
  const text = docs
    .map(([template, doc]) => `---\n# Source: ${chartName}/templates/${template}.yaml\n${doc}\n`)
    .join('');
  return [[`deploy/rendered/svc-${Math.floor(i / 3)}/${ENVS[i % 3]}.yaml`, text]];
}

const SOURCE_EXTS = ['ts', 'go', 'py', 'md'] as const;

/** How many calls per 20,000-file tree (a chart makes two files), and how to make one. */
const PLAN: [number, (rng: Rng, i: number) => TreeFile[]][] = [
  [3000, helmBundle],
  [600, (rng, i) => [[`deploy/crds/${rng.word()}-${i}.yaml`, crd(rng, `${rng.word()}${i}`)]]],
  [800, (rng, i) => [[`services/svc-${i}/api/openapi.yaml`, openApi(rng, `svc-${i}`)]]],
  [1200, (rng, i) => [[`services/svc-${i % 400}/config/application-${i}.yaml`, appConfig(rng, `svc-${i}`)]]],
  [600, (rng, i) => [[`docs/site-${i}/mkdocs.yml`, mkdocs(rng, `site-${i}`)]]],
  [400, (rng, i) => [[`ci/pipelines/svc-${i}.yml`, ciPipeline(rng, `svc-${i}`)]]],
  [200, (rng, i) => [[`.github/workflows/svc-${i}.yml`, workflow(rng, `svc-${i}`)]]],
  [
    800,
    (rng, i) => {
      const [name, text] = toolConfig(rng);
      return [[`tools/t${i}/${name}`, text]];
    },
  ],
  [
    300,
    (rng, i) => {
      const [chartYaml, values] = chart(rng, `chart-${i}`);
      return [
        [`charts/chart-${i}/Chart.yaml`, chartYaml],
        [`charts/chart-${i}/values.yaml`, values],
      ];
    },
  ],
  [300, (rng, i) => [[`deploy/overlays/svc-${i}/kustomization.yaml`, kustomization(rng)]]],
  [1000, (rng, i) => [[`services/svc-${i}/compose.yaml`, compose(rng, `svc-${i}`)]]],
  [1500, (rng, i) => [[`services/svc-${i}/Dockerfile`, dockerfile(rng)]]],
  [
    9000,
    (rng, i) => {
      const ext = SOURCE_EXTS[i % 4]!;
      return [[`services/svc-${i % 1000}/src/file-${i}.${ext}`, source(rng, ext, `file-${i}`)]];
    },
  ],
];

/** The files of the platform tree, scaled to about `total` files. */
export function* platformTree(total: number): Generator<TreeFile> {
  const rng = createRng(20_000);
  for (const [perTwentyThousand, make] of PLAN) {
    const calls = Math.round((perTwentyThousand * total) / 20_000);
    for (let i = 0; i < calls; i++) yield* make(rng, i);
  }
}
