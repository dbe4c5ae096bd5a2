/**
 * Monolithic uploads: one `POST …/blobs/uploads/?digest=…` carrying the whole (small) blob,
 * instead of a POST for the session and a PUT for the bytes (OCI distribution spec, "Pushing a
 * blob monolithically", POST then PUT being the other way). Registries differ: distribution 2.8
 * answers such a POST with 202 and a session and throws the body away
 * (https://github.com/distribution/distribution/issues/1170), which the spec allows, so the bytes
 * then go into that session with a PUT. What a registry did is remembered per host by the caller,
 * so only the first small blob of a run pays for a refusal.
 */
import { putBytes, type SmallBlob, type UploadEndpoint, uploadLocation } from './blob-upload.js';
import { DigestMismatchError } from './digest.js';
import { discardBody, type RegistryError, responseError } from './transport/index.js';

/** How a registry took a monolithic upload. */
export type MonolithicOutcome = 'accepted' | 'refused';

/**
 * Sends `blob` monolithically to `endpoint` (the repository's `…/blobs/uploads/` URL). A 201
 * is `accepted`. A 202 (a session instead, the body dropped) or a refusal of the request's form
 * (a 4xx other than 401, 403, 429) is `refused`: the blob is then uploaded into that session, or
 * a new one, with a PUT, so the blob lands either way. Anything else is thrown, for the caller's
 * whole-transfer retry.
 */
export async function uploadMonolithic(
  endpoint: UploadEndpoint,
  blob: SmallBlob,
): Promise<MonolithicOutcome> {
  const url = new URL(endpoint.url);
  url.searchParams.set('digest', blob.digest);
  const req = {
    method: 'POST',
    url: url.toString(),
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
    body: blob.bytes,
  };
  const res = await endpoint.rt(req);
  if (res.status === 201) {
    discardBody(res);
    const stored = res.headers['docker-content-digest']?.trim();
    if (stored && stored !== blob.digest) {
      throw new DigestMismatchError(`the registry stored the blob as ${stored}, expected ${blob.digest}`);
    }
    blob.onBytes?.(blob.size);
    return 'accepted';
  }
  if (res.status === 202) {
    discardBody(res);
    await putBytes(endpoint, blob, uploadLocation(req, res, endpoint.isAllowedHost));
    return 'refused';
  }
  const error = await responseError(req, res);
  if (!isFormRefusal(error)) throw error;
  await putBytes(endpoint, blob);
  return 'refused';
}

/** A refusal of the request's form, not of us or of the moment: POST+PUT may still work. */
function isFormRefusal(error: RegistryError): boolean {
  const status = error.status ?? 0;
  return status >= 400 && status < 500 && ![401, 403, 429].includes(status) && !error.temporary;
}
