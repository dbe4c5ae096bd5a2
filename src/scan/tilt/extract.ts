/**
 * Tilt (https://docs.tilt.dev/api.html): a `Tiltfile` builds images with `docker_build(ref, …)`,
 * `custom_build(ref, …)` and the restart_process extension's `docker_build_with_restart(ref, …)`,
 * then deploys manifests with each `ref` replaced by what it built. Those refs are build outputs
 * for the Tiltfile's directory tree. A Tiltfile is Starlark, so it is read line by line: only a
 * call whose first argument (or `ref=`) is a string literal declares anything.
 */
import { repositoryName, tryParseReference } from '../../reference/index.js';
import type { BuildOutput, ExtractResult } from '../types.js';

const BUILD_CALL =
  /\b(docker_build_with_restart|docker_build|custom_build)\(\s*(?:ref\s*=\s*)?(["'])([^"'\n]{1,300})\2/g;

/** The images a Tiltfile builds, as build outputs; never occurrences or diagnostics. */
export function extractTiltfile(content: string, file: string): ExtractResult {
  const buildOutputs: BuildOutput[] = [];
  const lines = content.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/(^|\s)#.*$/, '$1');
    for (const match of line.matchAll(BUILD_CALL)) {
      const parsed = tryParseReference((match[3] ?? '').trim());
      if (!parsed.ok) continue;
      const name = repositoryName(parsed.reference);
      buildOutputs.push({ name, file, line: index + 1, via: `Tiltfile ${match[1]}`, scope: 'tree' });
    }
  }
  return buildOutputs.length > 0
    ? { occurrences: [], diagnostics: [], buildOutputs }
    : { occurrences: [], diagnostics: [] };
}
