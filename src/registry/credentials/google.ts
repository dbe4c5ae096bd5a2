/**
 * Google access tokens for Artifact Registry and Container Registry hosts, from Application
 * Default Credentials (a service account key, `gcloud auth application-default login`, or the
 * `external_account` file google-github-actions/auth writes for Workload Identity Federation)
 * or from a token the caller already has.
 */
import type { GoogleAuth } from 'google-auth-library';
import { errorMessage, MirrorError } from '../../errors.js';

/** The scope Artifact Registry pushes need. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Gives OAuth2 access tokens. */
export interface GoogleTokenSource {
  /** A valid access token; `refresh` forces a new one (after a 401, or when a long copy outlived it). */
  getAccessToken(options?: { refresh?: boolean }): Promise<string>;
}

/** A source that always returns `token` (the `access_token` output of google-github-actions/auth). */
export function createStaticTokenSource(token: string): GoogleTokenSource {
  return { getAccessToken: async () => token };
}

// Anything long and token-shaped (JWTs, ya29.* access tokens, base64 blobs) is cut out of library messages.
const TOKEN_LIKE = /[A-Za-z0-9_\-.~+/=]{40,}/g;

/** Removes token-shaped strings and keeps the first line, so a library error can be shown safely. */
export function redactTokens(message: string): string {
  return (message.split('\n')[0] ?? '').replace(TOKEN_LIKE, '[redacted]').slice(0, 300);
}

/** Options of {@link createAdcTokenSource}. */
export interface AdcOptions {
  /** Where GOOGLE_APPLICATION_CREDENTIALS is read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: [CLOUD_PLATFORM_SCOPE]. */
  scopes?: string[];
}

/**
 * Application Default Credentials through google-auth-library, which caches the token and
 * renews it 5 minutes before expiry; `refresh` builds a fresh client so nothing cached is reused.
 * The library (and gaxios, gcp-metadata, jws…) is loaded on the first token asked for, so every
 * copy whose registries need no Google token, a re-copy included, never evaluates it.
 */
export function createAdcTokenSource(options: AdcOptions = {}): GoogleTokenSource {
  const env = options.env ?? process.env;
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS || undefined;
  const create = async () => {
    const { GoogleAuth } = await import('google-auth-library');
    return new GoogleAuth({ scopes: options.scopes ?? [CLOUD_PLATFORM_SCOPE], keyFilename });
  };
  let auth: Promise<GoogleAuth> | undefined;
  return {
    async getAccessToken(request = {}) {
      if (request.refresh || !auth) auth = create();
      let token: string | null | undefined;
      try {
        token = await (await auth).getAccessToken();
      } catch (err: unknown) {
        // No `cause`: the library's error carries the request, whose body holds the subject token.
        const where = keyFilename ? `the credentials file ${keyFilename}` : 'Application Default Credentials';
        throw new MirrorError(
          `could not get a Google access token from ${where}: ${redactTokens(errorMessage(err))}`,
        );
      }
      if (!token) throw new MirrorError('Google Application Default Credentials returned no access token');
      return token;
    },
  };
}
