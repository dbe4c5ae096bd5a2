/**
 * The Google token source of a platform command: a static access token (`--gcp-access-token`
 * or AR_MIRROR_GCP_ACCESS_TOKEN), else Application Default Credentials through the registry
 * keychain's own ADC source. google-auth-library is loaded only in the second case, so a run
 * with a static token never pays for it at start-up.
 */
import { MirrorError } from '../errors.js';
import type { Logger } from '../log.js';
import type { GoogleTokenSource } from '../registry/credentials/google.js';

/** Options of {@link resolveGoogleTokenSource}. */
export interface TokenChoice {
  /** The `--gcp-access-token` value. Default: none. */
  flag?: string | undefined;
  /** Where AR_MIRROR_GCP_ACCESS_TOKEN and the ADC variables are read. */
  env: NodeJS.ProcessEnv;
  /** Receives the static token as a secret. */
  logger: Logger;
}

/** The token source to use; a blank static token is refused rather than sent. */
export async function resolveGoogleTokenSource(choice: TokenChoice): Promise<GoogleTokenSource> {
  const given = choice.flag ?? choice.env.AR_MIRROR_GCP_ACCESS_TOKEN;
  if (given !== undefined && given !== '') {
    const token = given.trim();
    if (token === '' || /\s/.test(token))
      throw new MirrorError(
        'the Google access token (--gcp-access-token / AR_MIRROR_GCP_ACCESS_TOKEN) holds whitespace',
      );
    choice.logger.secret(token);
    return { getAccessToken: async () => token };
  }
  const { createAdcTokenSource } = await import('../registry/credentials/google.js');
  const adc = createAdcTokenSource({ env: choice.env });
  return {
    async getAccessToken(options) {
      const token = await adc.getAccessToken(options);
      choice.logger.secret(token);
      return token;
    },
  };
}
