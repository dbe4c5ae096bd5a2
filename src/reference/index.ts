export { DEFAULT_FIRST_PARTY, isThirdParty, matchesRegistry } from './classify.js';
export {
  DIGEST_ALGORITHMS,
  type Digest,
  digestProblem,
  InvalidDigestError,
  isDigest,
  parseDigest,
} from './digest.js';
export { formatReference, repositoryName } from './format.js';
export { DOCKER_HUB, MAX_PATH_LENGTH, type ParseResult, parseReference, tryParseReference } from './parse.js';
export type { ImageReference } from './types.js';
export {
  nameBeforeVariableTag,
  sameRepository,
  variablesIn,
  type WholeDefault,
  wholeDefault,
} from './variables.js';
