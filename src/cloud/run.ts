/**
 * Cloud Run Admin API v2 `GET projects/P/locations/L/services/S`: the runtime service account
 * of a service's revision template (`template.serviceAccount`).
 */
import { MirrorError } from '../errors.js';
import type { GoogleApi } from './http.js';
import { asText, pick } from './json.js';
import { runServiceGetNeeds } from './permissions.js';

/** A Cloud Run service name, parsed. */
export interface RunServiceName {
  project: string;
  location: string;
  service: string;
}

/** What doctor needs of a service. */
export interface RunService extends RunServiceName {
  /** `template.serviceAccount`; undefined means the Compute Engine default service account. */
  serviceAccount: string | undefined;
}

const NAME =
  /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/([a-z0-9-]{1,40})\/services\/([a-z]([a-z0-9-]{0,61}[a-z0-9])?)$/;

/** Parses `projects/P/locations/L/services/S`, or throws naming the expected form. */
export function parseRunServiceName(text: string): RunServiceName {
  const match = NAME.exec(text);
  if (!match)
    throw new MirrorError(
      `"${text.slice(0, 200)}" is not projects/PROJECT/locations/LOCATION/services/SERVICE`,
    );
  return { project: match[1]!, location: match[2]!, service: match[3]! };
}

/** Reads a service's runtime identity. */
export async function getRunService(api: GoogleApi, base: string, name: RunServiceName): Promise<RunService> {
  const body = await api.request({
    method: 'GET',
    url: `${base}/projects/${name.project}/locations/${name.location}/services/${name.service}`,
    needs: runServiceGetNeeds(name.project),
  });
  const account = asText(pick(body, 'template.serviceAccount'), 320);
  return { ...name, serviceAccount: account === '' ? undefined : account };
}
