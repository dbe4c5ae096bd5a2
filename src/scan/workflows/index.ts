import type { Finder } from '../types.js';
import { extractAction, extractWorkflow } from './extract.js';

export { extractAction, extractWorkflow } from './extract.js';

/** GitHub Actions workflows: `.github/workflows/*.yml`/`.yaml` (GitHub reads no subdirectories). */
export const workflowFinder: Finder = {
  name: 'workflow',
  matches: (path) => /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path),
  extract: (content, file) => extractWorkflow(content, file),
};

/** Action metadata: `action.yml`/`action.yaml` in any directory. */
export const actionFinder: Finder = {
  name: 'action',
  matches: (path) => /(?:^|\/)action\.ya?ml$/.test(path),
  extract: (content, file) => extractAction(content, file),
};
