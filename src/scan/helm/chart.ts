/**
 * What a values file needs from the chart around it: the chart's directory, `Chart.yaml`'s
 * `appVersion` (the tag most charts fall back to when `image.tag` is empty), and the templates,
 * which say whether that tag gets a `v` prefix and whether a `repository` is a whole image or
 * only a prefix the templates append names to. Read through the scan's project files only.
 */
import path from 'node:path/posix';
import type { ProjectFiles } from '../types.js';
import { isMap, isScalar } from '../yaml/guards.js';
import { getNode, scalarText } from '../yaml/nodes.js';
import { parseYamlStream } from '../yaml/parse.js';

/** How far above a values file its `Chart.yaml` may sit (`chart/ci/x-values.yaml`, `chart/env/prod/values.yaml`). */
const MAX_LEVELS_UP = 3;

/** The chart a file belongs to. */
export interface ChartInfo {
  /** The chart's directory, as a scan path (`.` for the root). */
  directory: string;
  /** `appVersion` as written (`1.10` stays `1.10`), or undefined when absent. */
  appVersion: string | undefined;
  /** The text of the chart's own templates (`templates/**`, helpers included), joined. */
  templates: string;
}

const charts = new WeakMap<ProjectFiles, Map<string, ChartInfo | undefined>>();

/**
 * The chart whose directory holds `file` (nearest `Chart.yaml` in the file's directory or up to
 * three levels above it), or undefined. Files under a chart's `templates/` or `crds/` are not
 * values files, so they belong to none.
 */
export function chartOf(file: string, project: ProjectFiles | undefined): ChartInfo | undefined {
  if (!project) return undefined;
  const charts = chartDirectories(project);
  if (charts.size === 0) return undefined;
  let directory = path.dirname(file);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    if (charts.has(directory)) {
      const below = path.relative(directory, path.dirname(file)).split('/')[0];
      if (below === 'templates' || below === 'crds' || below === 'charts') return undefined;
      return chartAt(directory, project);
    }
    if (directory === '.' || directory === '' || directory.startsWith('..')) return undefined;
    directory = path.dirname(directory);
  }
  return undefined;
}

const directories = new WeakMap<ProjectFiles, Set<string>>();

/** The directories of the scan that hold a `Chart.yaml`, found once per scan. */
function chartDirectories(project: ProjectFiles): Set<string> {
  let found = directories.get(project);
  if (!found) {
    found = new Set();
    for (const file of project.listUnder('.')) {
      if (file === 'Chart.yaml' || file.endsWith('/Chart.yaml')) found.add(path.dirname(file));
    }
    directories.set(project, found);
  }
  return found;
}

function chartAt(directory: string, project: ProjectFiles): ChartInfo | undefined {
  let cache = charts.get(project);
  if (!cache) {
    cache = new Map();
    charts.set(project, cache);
  }
  if (cache.has(directory)) return cache.get(directory);
  const info: ChartInfo = {
    directory,
    appVersion: appVersionOf(project.read(path.join(directory, 'Chart.yaml')) ?? ''),
    templates: templatesOf(directory, project),
  };
  cache.set(directory, info);
  return info;
}

function appVersionOf(chartYaml: string): string | undefined {
  const { documents } = parseYamlStream(chartYaml, 'Chart.yaml');
  const root = documents[0]?.contents;
  if (!documents[0] || !isMap(root)) return undefined;
  const node = getNode(root, 'appVersion', documents[0]);
  const text = isScalar(node) ? scalarText(node)?.trim() : undefined;
  return text ? text : undefined;
}

function templatesOf(directory: string, project: ProjectFiles): string {
  const files = project.listUnder(path.join(directory, 'templates'));
  return files.map((file) => project.read(file) ?? '').join('\n');
}

/**
 * The tag a chart uses when `image.tag` is empty: `appVersion`, with the `v` its templates put
 * in front (`default (printf "v%s" .Chart.AppVersion)`). Undefined without an appVersion, or
 * when the chart's templates were read and none of them uses `.Chart.AppVersion`.
 */
export function defaultTag(chart: ChartInfo): string | undefined {
  if (!chart.appVersion) return undefined;
  // Templates that never read .Chart.AppVersion give an empty tag some other meaning.
  if (chart.templates !== '' && !chart.templates.includes('.Chart.AppVersion')) return undefined;
  const prefixed = /printf\s+"v%s"\s+\.Chart\.AppVersion|\(\s*print\s+"v"\s+\.Chart\.AppVersion/.test(
    chart.templates,
  );
  return prefixed && !chart.appVersion.startsWith('v') ? `v${chart.appVersion}` : chart.appVersion;
}

/**
 * The literal default the chart's templates give the value at `valuesPath`
 * (`{{ .Values.image.tag | default "latest" }}` gives `latest`), or undefined.
 */
export function templateDefault(chart: ChartInfo, valuesPath: readonly string[]): string | undefined {
  if (chart.templates === '' || valuesPath.some((key) => !/^[A-Za-z0-9_]+$/.test(key))) return undefined;
  const reference = `\\.Values\\.${valuesPath.join('\\.')}`;
  return new RegExp(`${reference}\\s*\\|\\s*default\\s+"([^"{}\\\\]*)"`).exec(chart.templates)?.[1];
}

/**
 * True when the chart's templates append a path to the value at `valuesPath`
 * (`{{ .Values.images.repository }}/adservice`): the value is a registry prefix, not an image.
 */
export function isPrefixInTemplates(chart: ChartInfo, valuesPath: readonly string[]): boolean {
  if (chart.templates === '' || valuesPath.some((key) => !/^[A-Za-z0-9_]+$/.test(key))) return false;
  const reference = `\\.Values\\.${valuesPath.join('\\.')}`;
  return new RegExp(`${reference}\\s*(?:\\|[^}]*)?-?\\}\\}/`).test(chart.templates);
}
