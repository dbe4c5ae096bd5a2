import { createRequire as __arMirrorCreateRequire } from 'node:module';
const require = __arMirrorCreateRequire(import.meta.url);
import {
  mapLimit
} from "./chunk-PD2CQFDG.js";
import {
  errorMessage
} from "./chunk-P3YMENVP.js";

// src/mirror/mirror-images.ts
function copyOutcome(blobs) {
  if (blobs.copied > 0) return "pushed";
  return blobs.mounted > 0 ? "mounted" : "existing";
}
var DEFAULT_IMAGE_CONCURRENCY = 4;
async function mirrorImages(jobs, copy, options) {
  return mapLimit(jobs, options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY, async (job) => {
    try {
      const result = await copy(job.source, job.destination);
      options.logger.info(`${copyOutcome(result.blobs)} ${job.destination} (${result.digest})`);
      return { job, status: "mirrored", result };
    } catch (err) {
      const error = errorMessage(err);
      options.logger.warning(`failed to mirror ${job.source}: ${error}`);
      return { job, status: "failed", error };
    }
  });
}

export {
  copyOutcome,
  mirrorImages
};
