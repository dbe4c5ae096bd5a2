/**
 * The `--to` cross-check of `ar-mirror pulls`: is each third-party image already mirrored (a
 * manifest HEAD through the registry client; a HEAD does not count as a Docker Hub pull).
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { type MirrorTarget, mirrorReference } from '../platform/mirror-target.js';
import type { PullSummary } from '../platform/pull-report.js';
import { formatReference, parseReference } from '../reference/index.js';
import { createKeychain } from '../registry/credentials/keychain.js';
import { printable } from '../text/escape.js';
import { mapLimit } from '../util/map-limit.js';
import { keychainGoogle } from './google-flags.js';
import { readRegistryFlags } from './registry-flags.js';
import { createRegistryReader } from './registry-reader.js';

/**
 * Sets `mirror` and `atDestination` of every third-party row; a failed lookup leaves null and
 * warns. `values` are the raw --plain-http/--dest-creds values (a bad one throws UsageError).
 */
export async function checkDestination(
  summary: PullSummary,
  target: MirrorTarget,
  options: {
    values: Record<string, unknown>;
    env: NodeJS.ProcessEnv;
    logger: Logger;
    token: string | undefined;
  },
): Promise<void> {
  const { logger } = options;
  const flags = readRegistryFlags(options.values, options.env);
  const explicit = flags.destCreds ? { [target.host]: flags.destCreds } : {};
  const reader = createRegistryReader({
    keychain: createKeychain({
      explicit,
      env: options.env,
      logger,
      google: keychainGoogle(options.token, options.env),
    }),
    logger,
    plainHttp: flags.plainHttp,
    endpoints: flags.endpoints,
  });
  try {
    const rows = summary.images.filter((row) => row.thirdParty);
    await mapLimit(rows, 4, async (row) => {
      const mirror = mirrorReference(parseReference(row.image), target);
      row.mirror = formatReference(mirror);
      try {
        row.atDestination = (await reader.head(mirror)) !== undefined;
      } catch (err) {
        logger.warning(`could not check ${printable(row.mirror)}: ${printable(errorMessage(err))}`);
      }
    });
  } finally {
    await reader.close();
  }
}
