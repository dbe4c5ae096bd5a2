/**
 * Image texts that are not images to mirror although they look like one: names a build tool
 * replaces with what it builds (`ko://…`), and placeholders a pipeline substitutes before it
 * deploys (`newTag: RELEASE_TAG`, `gcr.io/PROJECT_ID/app`, `<IMAGE>`). Copying them would ask a
 * registry for an image that does not exist, so finders report them as notices, saying why.
 */

/** ko's import-path references (https://ko.build/features/k8s/): ko resolves them while deploying. */
const KO_PREFIX = 'ko://';

/**
 * An all-caps word with underscores where a name or version belongs (`RELEASE_TAG`,
 * `CONTAINER_IMAGES_REGISTRY`, `PROJECT_ID`): a pipeline's placeholder. Two letters at least
 * before the first underscore, so a real tag such as `V1_0` is not one.
 */
const PLACEHOLDER = /^[A-Z]{2,}[A-Z0-9]*(?:_[A-Z0-9]+)+$/;

/**
 * Why `text` (an image as written, after variable expansion) is a placeholder or a build tool's
 * name rather than an image, or undefined when it is neither. The reason completes a sentence
 * that starts with the quoted image.
 */
export function notMirroredReason(text: string): string | undefined {
  // Most references have neither an upper-case letter nor `<` nor `ko:`: answer them at once.
  if (!/[A-Z<]|ko:/.test(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith(KO_PREFIX)) return 'is an import path ko builds and puts in its place; not mirrored';
  const angle = /<[^<>\s]{1,80}>/.exec(trimmed)?.[0];
  const word = angle ?? trimmed.split(/[/:@]/).find((part) => PLACEHOLDER.test(part));
  if (word === undefined) return undefined;
  return `holds the placeholder ${word}, which a pipeline substitutes before deploying; not mirrored`;
}
