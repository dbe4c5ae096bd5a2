/** A username/password pair for a registry (Basic auth, or the basic credential sent to a token realm). */
export interface Credential {
  username: string;
  password: string;
}

/**
 * Finds credentials for a registry host. The transport asks again after a 401 so that
 * short-lived tokens (Google access tokens) are refreshed instead of reused.
 */
export interface Keychain {
  /** Credentials for `registry` (a host[:port], `docker.io` for Docker Hub), or undefined for anonymous access. */
  get(registry: string, options?: { refresh?: boolean }): Promise<Credential | undefined>;
}

/** A keychain with no credentials at all: every registry is accessed anonymously. */
export const anonymousKeychain: Keychain = { get: async () => undefined };
