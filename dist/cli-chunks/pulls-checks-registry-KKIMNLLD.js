import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  createRegistryReader
} from "./chunk-7X7EPKR4.js";
import {
  mirrorReference
} from "./chunk-SZTASEBZ.js";
import {
  keychainGoogle
} from "./chunk-5BPX3DTZ.js";
import {
  createKeychain,
  mapLimit,
  readRegistryFlags
} from "./chunk-PD2CQFDG.js";
import "./chunk-U4PV7WAK.js";
import "./chunk-VAYOJ3Y5.js";
import {
  formatReference,
  parseReference
} from "./chunk-FHORZPU6.js";
import {
  printable
} from "./chunk-TH6AUOUN.js";
import "./chunk-BLDWR4WJ.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";
import "./chunk-FJ4UO5DN.js";

// src/commands/pulls-checks-registry.ts
async function checkDestination(summary, target, options) {
  const { logger } = options;
  const flags = readRegistryFlags(options.values, options.env);
  const explicit = flags.destCreds ? { [target.host]: flags.destCreds } : {};
  const reader = createRegistryReader({
    keychain: createKeychain({
      explicit,
      env: options.env,
      logger,
      google: keychainGoogle(options.token, options.env)
    }),
    logger,
    plainHttp: flags.plainHttp,
    endpoints: flags.endpoints
  });
  try {
    const rows = summary.images.filter((row) => row.thirdParty);
    await mapLimit(rows, 4, async (row) => {
      const mirror = mirrorReference(parseReference(row.image), target);
      row.mirror = formatReference(mirror);
      try {
        row.atDestination = await reader.head(mirror) !== void 0;
      } catch (err) {
        logger.warning(`could not check ${printable(row.mirror)}: ${printable(errorMessage(err))}`);
      }
    });
  } finally {
    await reader.close();
  }
}
export {
  checkDestination
};
