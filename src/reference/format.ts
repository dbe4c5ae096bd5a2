import type { ImageReference } from './types.js';

/**
 * The canonical text of a reference: `registry/repository:tag`, with `@digest` appended when
 * pinned. The tag is omitted only for digest-only references.
 */
export function formatReference(ref: ImageReference): string {
  let text = `${ref.registry}/${ref.repository}`;
  if (ref.tag !== undefined) text += `:${ref.tag}`;
  if (ref.digest !== undefined) text += `@${ref.digest}`;
  return text;
}

/** `registry/repository` without tag or digest: the name a registry API call addresses. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}
