import type { Finder } from '../types.js';
import { extractTiltfile } from './extract.js';

export { extractTiltfile } from './extract.js';

/** Tilt's `Tiltfile`, in any directory: it declares build outputs only. */
export const tiltFinder: Finder = {
  name: 'tilt',
  matches: (path) => path === 'Tiltfile' || path.endsWith('/Tiltfile'),
  extract: (content, file) => extractTiltfile(content, file),
};
