/**
 * A username/password pair for a registry (Basic auth, or the basic credential sent to a token
 * realm). Username IDENTITY_TOKEN_USERNAME marks an identity token (an OAuth2 refresh token) in
 * `password`, as Docker's credential helpers write it: it is exchanged at the token realm
 * (grant_type=refresh_token), never sent as Basic credentials.
 */
export interface Credential {
  username: string;
  password: string;
}

/** The user name that marks an identity token (Docker's `<token>`). */
export const IDENTITY_TOKEN_USERNAME = '<token>';

/** True when `credential` is an identity token rather than a user and password. */
export function isIdentityToken(credential: Credential | undefined): boolean {
  return credential?.username === IDENTITY_TOKEN_USERNAME;
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
