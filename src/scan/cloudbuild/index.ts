import type { Finder } from '../types.js';
import { extractCloudBuild } from './extract.js';

export { type CloudBuildOptions, extractCloudBuild } from './extract.js';

/** Cloud Build configs: `cloudbuild*.yaml`/`.yml` in any directory. */
export const cloudBuildFinder: Finder = {
  name: 'cloudbuild',
  matches: (path) => /(?:^|\/)cloudbuild[^/]*\.ya?ml$/.test(path),
  extract: (content, file) => extractCloudBuild(content, file),
};
