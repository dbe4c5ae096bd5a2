import type { Finder } from '../types.js';
import { extractCompose } from './extract.js';

export { extractCompose } from './extract.js';
export { type Interpolation, interpolateCompose } from './interpolate.js';

/** docker compose files: `compose*.yml`/`.yaml` and `docker-compose*.yml`/`.yaml`, in any directory. */
export const composeFinder: Finder = {
  name: 'compose',
  matches: (path) => /(?:^|\/)(?:docker-)?compose[^/]*\.ya?ml$/.test(path),
  extract: (content, file) => extractCompose(content, file),
};
