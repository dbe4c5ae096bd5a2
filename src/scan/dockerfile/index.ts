import type { Finder } from '../types.js';
import { extractDockerfile } from './extract.js';

export { extractDockerfile } from './extract.js';

/**
 * `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile` and `Containerfile*`, by base name in
 * any directory. `Dockerfile.dockerignore` is BuildKit's per-Dockerfile ignore file, not a Dockerfile.
 */
export function isDockerfilePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.endsWith('.dockerignore')) return false;
  return (
    base === 'Dockerfile' ||
    base.startsWith('Dockerfile.') ||
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
