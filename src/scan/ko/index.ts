import type { Finder } from '../types.js';
import { extractKoConfig } from './extract.js';

export { extractKoConfig } from './extract.js';

/** ko's `.ko.yaml`/`.ko.yml`, in any directory: its base images. */
export const koFinder: Finder = {
  name: 'ko',
  matches: (path) => /(?:^|\/)\.ko\.ya?ml$/.test(path),
  extract: (content, file) => extractKoConfig(content, file),
};
