/**
 * The keychain the registry client asks for credentials, per registry host. Order: explicit
 * credentials (flags, action inputs), then Docker's config.json (inline `auths`, credential
 * helpers), then, for Google registries, a Google access token as `oauth2accesstoken`.
 */
import { type Logger, silentLogger } from '../../log.js';
import { registerCredential } from '../../secrets.js';
import {
  type DockerConfig,
  defaultDockerConfigDir,
  lookupDockerConfig,
  readDockerConfig,
} from './docker-config.js';
import { createAdcTokenSource, type GoogleTokenSource } from './google.js';
import { runCredentialHelper } from './helper.js';
import { isGoogleRegistryHost, normaliseRegistryHost } from './hosts.js';
import type { Credential, Keychain } from './types.js';

/** The user name Google registries expect with an access token as the password. */
export const GOOGLE_TOKEN_USERNAME = 'oauth2accesstoken';

/** Options of {@link createKeychain}. */
export interface KeychainOptions {
  /** Credentials by registry host (`docker.io`, `ghcr.io`, `127.0.0.1:5000`; URLs are accepted). Default: none. */
  explicit?: Record<string, Credential>;
  /** Directory holding Docker's config.json. Default: $DOCKER_CONFIG, else ~/.docker. */
  dockerConfigDir?: string;
  /**
   * Google tokens for `*.pkg.dev`, `gcr.io` and `*.gcr.io`: a token source, or 'adc' for
   * Application Default Credentials. Default: none (Google registries then rely on Docker config).
   */
  google?: GoogleTokenSource | 'adc';
  /** Environment for $DOCKER_CONFIG, $HOME, PATH (helpers) and ADC. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives every secret as soon as it is read, and warnings. Default: silentLogger. */
  logger?: Logger;
  /** Runs a credential helper. Default: executes `docker-credential-NAME get` with a 10 s timeout. */
  runHelper?: (name: string, serverUrl: string) => Promise<Credential | undefined>;
}

/** Creates the keychain described in {@link KeychainOptions}. Docker's config is read once, on first use. */
export function createKeychain(options: KeychainOptions = {}): Keychain {
  return new DefaultKeychain(options);
}

class DefaultKeychain implements Keychain {
  private readonly env: NodeJS.ProcessEnv;
  private readonly logger: Logger;
  private readonly explicit = new Map<string, Credential>();
  private readonly runHelper: (name: string, serverUrl: string) => Promise<Credential | undefined>;
  private readonly google: GoogleTokenSource | undefined;
  private readonly helperCache = new Map<string, Promise<Credential | undefined>>();
  private config: Promise<DockerConfig | undefined> | undefined;

  constructor(private readonly options: KeychainOptions) {
    const env = options.env ?? process.env;
    this.env = env;
    this.logger = options.logger ?? silentLogger;
    for (const [host, credential] of Object.entries(options.explicit ?? {})) {
      this.register(credential);
      this.explicit.set(normaliseRegistryHost(host), credential);
    }
    this.runHelper =
      options.runHelper ?? ((name, serverUrl) => runCredentialHelper(name, serverUrl, { env }));
    this.google = options.google === 'adc' ? createAdcTokenSource({ env }) : options.google;
  }

  async get(registry: string, request: { refresh?: boolean } = {}): Promise<Credential | undefined> {
    const host = normaliseRegistryHost(registry);
    const refresh = request.refresh ?? false;
    const given = this.explicit.get(host);
    if (given) return given;
    const configured = await this.fromDockerConfig(host, refresh);
    if (configured) return configured;
    if (!this.google || !isGoogleRegistryHost(host)) return undefined;
    const token = await this.google.getAccessToken({ refresh });
    const credential = { username: GOOGLE_TOKEN_USERNAME, password: token };
    this.register(credential);
    return credential;
  }

  private async fromDockerConfig(host: string, refresh: boolean): Promise<Credential | undefined> {
    this.config ??= readDockerConfig(this.options.dockerConfigDir ?? defaultDockerConfigDir(this.env));
    const config = await this.config;
    const entry = config && lookupDockerConfig(config, host);
    if (!entry) return undefined;
    if (entry.kind === 'inline') {
      this.register(entry.credential);
      return entry.credential;
    }
    const credential = await this.fromHelper(host, entry.helper, entry.serverUrl, refresh);
    if (!credential) return undefined;
    this.register(credential);
    // A "<token>" user marks an identity token: the bearer layer exchanges it at the realm.
    return credential;
  }

  /**
   * Registers the password and `user:password`, whose base64 is the Basic header a hostile
   * registry may echo; the Redactor derives that form and the others (src/secrets.ts).
   */
  private register(credential: Credential): void {
    registerCredential((value) => this.logger.secret(value), credential);
  }

  /** Runs a helper once per host (again on refresh); a failed run is forgotten so the next call retries. */
  private fromHelper(host: string, helper: string, serverUrl: string, refresh: boolean) {
    if (refresh) this.helperCache.delete(host);
    let pending = this.helperCache.get(host);
    if (!pending) {
      pending = this.runHelper(helper, serverUrl);
      this.helperCache.set(host, pending);
      pending.catch(() => this.helperCache.delete(host));
    }
    return pending;
  }
}
