import { ConfigError } from '../../errors.js';
import type { Credential } from './types.js';

/**
 * Parses a `USER:PASSWORD` flag value (`--src-creds`, `--dest-creds`). The split is at the
 * first colon, because user names cannot contain one and passwords (tokens) may. Errors name
 * the flag and never echo the value, which holds the password.
 */
export function parseCredentialFlag(text: string, flag: string): Credential {
  const colon = text.indexOf(':');
  if (colon < 0) throw new ConfigError(`${flag} must be USER:PASSWORD, but it has no ':'`);
  const username = text.slice(0, colon);
  const password = text.slice(colon + 1);
  if (username.trim() === '')
    throw new ConfigError(`${flag} must be USER:PASSWORD, but the user name is empty`);
  if (password === '') throw new ConfigError(`${flag} must be USER:PASSWORD, but the password is empty`);
  return { username, password };
}
