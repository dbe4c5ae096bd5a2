/**
 * IAM v1 roles: `GET roles/X` (predefined), `projects/P/roles/X` and `organizations/O/roles/X`
 * (custom), for the permissions a role includes (`includedPermissions`).
 */
import { MirrorError } from '../errors.js';
import type { GoogleApi } from './http.js';
import { asObject, asTextList } from './json.js';
import { roleGetNeeds } from './permissions.js';

/** A role's name and permissions. */
export interface Role {
  name: string;
  includedPermissions: string[];
  /** The role was deleted (a binding to it grants nothing). */
  deleted: boolean;
}

/** Role names the IAM API can be asked about. */
export const ROLE_NAME = /^(roles\/[\w.]{1,100}|(projects|organizations)\/[\w.-]{1,64}\/roles\/[\w.]{1,64})$/;

// The largest predefined roles hold a few thousand permissions (roles/owner is read from the table).
const MAX_PERMISSIONS = 20_000;

/** Reads a role; names that are not role names are refused before any request. */
export async function getRole(api: GoogleApi, base: string, name: string): Promise<Role> {
  if (!ROLE_NAME.test(name)) throw new MirrorError(`"${name.slice(0, 100)}" is not an IAM role name`);
  const body = await api.request({ method: 'GET', url: `${base}/${name}`, needs: roleGetNeeds(name) });
  return {
    name,
    includedPermissions: asTextList(body.includedPermissions, MAX_PERMISSIONS, 200),
    deleted: asObject(body)?.deleted === true,
  };
}
