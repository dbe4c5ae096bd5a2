export {
  type DockerConfig,
  type DockerConfigEntry,
  lookupDockerConfig,
  readDockerConfig,
} from './docker-config.js';
export { parseCredentialFlag } from './flag.js';
export {
  CLOUD_PLATFORM_SCOPE,
  createAdcTokenSource,
  createStaticTokenSource,
  type GoogleTokenSource,
} from './google.js';
export { runCredentialHelper } from './helper.js';
export { DOCKER_HUB_HOST, isGoogleRegistryHost, normaliseRegistryHost } from './hosts.js';
export { createKeychain, GOOGLE_TOKEN_USERNAME, type KeychainOptions } from './keychain.js';
export { anonymousKeychain, type Credential, type Keychain } from './types.js';
