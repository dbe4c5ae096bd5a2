import type { ExtractResult, FinderContext } from '../types.js';
import { asMap, getNode, getPath, lookup, mapEntries } from '../yaml/nodes.js';
import { mayContainKeys } from '../yaml/parse.js';
import { scanYaml, takeScalarSpan, type YamlScan } from '../yaml/scan.js';
import { reportBuild } from './build.js';
import { type ComposeEnv, composeEnvFor } from './env.js';
import { reportComposeValue } from './report.js';

/** Options of extractCompose. */
export interface ComposeOptions {
  /**
   * The environment to interpolate with. Default: the compose file's `.env`, read through
   * `context.project` (none without a project).
   */
  env?: ComposeEnv;
}

/**
 * Extracts `services.*.image` from a compose file, interpolated with the project's `.env`. A
 * service with `build` builds its own image, so its `image` names a build output (a notice); its
 * build args may decide the Dockerfile's base image (`compose-build-arg`). Keys inherited through
 * `<<: *anchor` count. Images whose whole text comes from one `.env` variable are reported in the
 * `.env` file, where their text is.
 */
export function extractCompose(
  content: string,
  file: string,
  context?: FinderContext,
  options: ComposeOptions = {},
): ExtractResult {
  if (!mayContainKeys(content, ['image', 'build'])) return { occurrences: [], diagnostics: [] };
  const env = options.env ?? composeEnvFor(file, context?.project);
  const visit = (scan: YamlScan, root: unknown) => {
    const services = asMap(getPath(root, ['services'], scan.doc), scan.doc);
    if (!services) return;
    for (const { key, value } of mapEntries(services, scan.doc)) {
      const service = asMap(value, scan.doc);
      if (!service) continue;
      const build = lookup(service, 'build', scan.doc);
      if (build) reportBuild(scan, { name: key, map: service, build: build.value }, env);
      else reportImage(scan, getNode(service, 'image', scan.doc), env);
    }
  };
  return scanYaml(content, file, visit, context ? { context } : {});
}

function reportImage(scan: YamlScan, value: unknown, env: ComposeEnv): void {
  // An anchored image used by several services is one reference (and one diagnostic).
  const span = takeScalarSpan(scan, value)?.span;
  if (!span) return;
  reportComposeValue(scan, { span, kind: 'compose', env });
}
