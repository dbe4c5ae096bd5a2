import type { Finder } from '../types.js';
import { extractKustomize } from './extract.js';

export { extractKustomization, extractKustomize } from './extract.js';

/** Kustomize: `kustomization.yaml`, `kustomization.yml` or `Kustomization`, in any directory. */
export const kustomizeFinder: Finder = {
  name: 'kustomize',
  matches: (path) => /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/.test(path),
  extract: (content, file) => extractKustomize(content, file),
};
