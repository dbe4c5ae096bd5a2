import type { Finder } from '../types.js';
import { extractDockerfile } from './extract.js';

export { extractDockerfile } from './extract.js';

/**
 * `Dockerfile`, `Dockerfile.*`, `Dockerfile-*`, `Dockerfile_*`, `*.Dockerfile`, `*.dockerfile` and
 * `Containerfile*`, by base name in
 * any directory. `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile.
 */
export function isDockerfilePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.endsWith('.dockerignore')) return false;
  return (
    base === 'Dockerfile' ||
    base.startsWith('Dockerfile.') ||
    // `Dockerfile-WINDOWS_LTSC2022`, `Dockerfile_arm`: variants kept beside the main one.
    base.startsWith('Dockerfile-') ||
    base.startsWith('Dockerfile_') ||
    base.startsWith('Containerfile') ||
    (base.length > '.Dockerfile'.length && (base.endsWith('.Dockerfile') || base.endsWith('.dockerfile')))
  );
}

/** The Dockerfile finder: base images, `COPY --from`, `RUN --mount=from=`, ONBUILD and `# syntax=`. */
export const dockerfileFinder: Finder = {
  name: 'dockerfile',
  matches: isDockerfilePath,
  extract: (content, file) => extractDockerfile(content, file),
};
