/**
 * Can this identity pull from the mirror? (pure) An identity passes when an unconditional
 * binding on the repository or its project grants it (or everyone) a role holding
 * `downloadArtifacts`, and its OAuth scopes allow the token to be used for it. Grants through
 * groups and principal sets, conditional grants, unreadable roles and an unreadable project
 * policy cannot be decided from policies alone: they are reported as such, never counted as a
 * pass, and never as a fail either (the grant may well exist).
 */
import type { IamPolicy, PolicyBinding } from '../cloud/policy.js';
import type { ArtifactRegistryDestination } from '../registry/artifact-registry.js';
import { shellQuote } from '../text/escape.js';
import { CLOUD_PLATFORM_SCOPE, PREDEFINED_ROLES, READER_ROLE, readingScope } from './iam-roles.js';

/** An identity that pulls images, and where it comes from. */
export interface PullIdentity {
  /** What pulls, for people: `cluster p/l/c, node pool default-pool`. */
  workload: string;
  /** A service account e-mail address. */
  account: string;
  /** How the account was found (`default` resolved, service agent). Default: none. */
  accountNote?: string;
  /**
   * The project the account belongs to, when its address does not say (the Compute Engine default
   * account `NUMBER-compute@…`, a service agent `service-NUMBER@…`). Default: read from the address.
   */
  project?: string;
  /** The token's OAuth scopes; undefined when unknown. Cloud Run has none to check. */
  scopes: string[] | undefined | 'not-applicable';
  /** The scopes are GKE's Autopilot default, not read from the API. */
  scopesAssumed?: boolean;
  /** Builds the command that fixes the scopes (node pools only). Default: none. */
  scopeFix?: string;
}

/** A policy that could not be read, and why (the API's answer, with what reading it needs). */
export interface UnreadablePolicy {
  unreadable: string;
}

/** The facts the analysis works on. */
export interface AccessFacts {
  repository: ArtifactRegistryDestination;
  repositoryPolicy: IamPolicy;
  /** The repository project's policy, or why it could not be read (the caller was refused). */
  projectPolicy: IamPolicy | UnreadablePolicy;
  /** Roles beyond the predefined table: true/false whether they include the permission, undefined when unreadable. */
  roles: ReadonlyMap<string, boolean | undefined>;
}

/** One identity's result. */
export interface AccessVerdict {
  workload: string;
  account: string;
  status: 'pass' | 'fail' | 'unknown';
  /** Why it fails or cannot be verified. */
  reasons: string[];
  /** What lets it pull (`roles/editor on project p`, `scope cloud-platform`). */
  grants: string[];
  notes: string[];
  /** gcloud commands that fix each failure. */
  fixes: string[];
}

// Groups and principal sets may hold service accounts; `domain:` members never do (a domain
// covers the Google accounts of a Workspace or Cloud Identity domain, not service accounts).
const UNVERIFIABLE = /^(group|principalSet):/;
const PUBLIC = new Set(['allUsers', 'allAuthenticatedUsers']);

/** The role names of `policies` worth reading through IAM for `accounts` (not in the table). */
export function rolesToRead(policies: readonly IamPolicy[], accounts: readonly string[]): string[] {
  const members = new Set(accounts.map((a) => `serviceaccount:${a.toLowerCase()}`));
  const relevant = (b: PolicyBinding) =>
    b.members.some((m) => members.has(m.toLowerCase()) || PUBLIC.has(m) || UNVERIFIABLE.test(m));
  const names = policies.flatMap((p) => p.bindings.filter(relevant).map((b) => b.role));
  return [...new Set(names)].filter((name) => !PREDEFINED_ROLES.has(name)).sort();
}

/** Decides every identity (see the module comment). */
export function checkAccess(facts: AccessFacts, identities: readonly PullIdentity[]): AccessVerdict[] {
  return identities.map((identity) => checkOne(facts, identity));
}

function checkOne(facts: AccessFacts, identity: PullIdentity): AccessVerdict {
  const verdict: AccessVerdict = {
    workload: identity.workload,
    account: identity.account,
    status: 'pass',
    reasons: [],
    grants: [],
    notes: identity.accountNote ? [identity.accountNote] : [],
    fixes: [],
  };
  checkScopes(identity, verdict);
  checkRoles(facts, identity, verdict);
  return verdict;
}

function worsen(verdict: AccessVerdict, status: 'fail' | 'unknown', reason: string): void {
  if (status === 'fail' || verdict.status === 'pass') verdict.status = status;
  verdict.reasons.push(reason);
}

function checkScopes(identity: PullIdentity, verdict: AccessVerdict): void {
  if (identity.scopes === 'not-applicable') return;
  if (identity.scopes === undefined) {
    worsen(
      verdict,
      'unknown',
      'the OAuth scopes of these nodes were not reported, so they cannot be checked',
    );
    return;
  }
  const scope = readingScope(identity.scopes);
  if (scope) {
    verdict.grants.push(`scope ${scope}${identity.scopesAssumed ? ' (Autopilot default)' : ''}`);
    return;
  }
  worsen(
    verdict,
    'fail',
    `scope too narrow: the nodes' OAuth scopes (${identity.scopes.join(', ')}) allow no Artifact Registry read; they need ${CLOUD_PLATFORM_SCOPE} or devstorage.read_only, and scopes of existing nodes cannot be changed`,
  );
  if (identity.scopeFix) verdict.fixes.push(identity.scopeFix);
}

interface Grant {
  where: string;
  binding: PolicyBinding;
  member: string;
}

function checkRoles(facts: AccessFacts, identity: PullIdentity, verdict: AccessVerdict): void {
  const repo = facts.repository;
  const places: [string, IamPolicy][] = [[`the repository ${repo.repository}`, facts.repositoryPolicy]];
  const project = facts.projectPolicy;
  if ('bindings' in project) places.push([`project ${repo.project}`, project]);
  const member = `serviceaccount:${identity.account.toLowerCase()}`;
  const direct: Grant[] = [];
  const indirect: Grant[] = [];
  for (const [where, policy] of places) {
    for (const binding of policy.bindings) {
      for (const m of binding.members) {
        if (m.toLowerCase() === member || PUBLIC.has(m)) direct.push({ where, binding, member: m });
        else if (UNVERIFIABLE.test(m)) indirect.push({ where, binding, member: m });
      }
    }
  }
  const reads = (g: Grant) => PREDEFINED_ROLES.get(g.binding.role) ?? facts.roles.get(g.binding.role);
  const unconditional = direct.filter((g) => reads(g) === true && !g.binding.condition);
  if (unconditional.length > 0) {
    verdict.grants.push(
      ...unconditional.map(
        (g) => `${g.binding.role} on ${g.where}${PUBLIC.has(g.member) ? ` (${g.member})` : ''}`,
      ),
    );
    return;
  }
  const doubts = [
    ...direct
      .filter((g) => reads(g) === true)
      .map(
        (g) =>
          `${g.binding.role} on ${g.where} only under the condition "${g.binding.condition?.title ?? g.binding.condition?.expression ?? ''}"`,
      ),
    ...direct
      .filter((g) => reads(g) === undefined)
      .map((g) => `${g.binding.role} on ${g.where}, a role whose permissions could not be read`),
    ...indirect
      .filter((g) => reads(g) !== false)
      .map((g) => `${g.binding.role} on ${g.where} through ${g.member} (membership cannot be verified)`),
    ...('unreadable' in project
      ? [`a binding on project ${repo.project}, whose IAM policy cannot be read: ${project.unreadable}`]
      : []),
  ];
  if (doubts.length > 0) {
    worsen(verdict, 'unknown', `cannot verify: may be granted by ${doubts.join('; ')}`);
    return;
  }
  worsen(verdict, 'fail', missingRoleReason(identity, repo));
  verdict.notes.push(INHERITED_NOTE);
  verdict.fixes.push(grantCommand(identity.account, repo));
}

/** Said with every missing-role failure: what doctor cannot see. */
export const INHERITED_NOTE =
  'only the repository’s and its project’s own IAM policies are read: a grant inherited from a folder or the organization is not seen';

function missingRoleReason(identity: PullIdentity, repo: ArtifactRegistryDestination): string {
  const base = `missing role: no binding gives ${identity.account} a role with artifactregistry.repositories.downloadArtifacts on repository ${repo.repository} or project ${repo.project}`;
  const home = identity.project ?? accountProject(identity.account);
  if (home && home !== repo.project)
    return `${base} (cross-project: the account belongs to project ${home}, the repository to ${repo.project}, so a grant there is needed)`;
  return base;
}

/**
 * The project a user-managed service account (`NAME@PROJECT.iam.gserviceaccount.com`) belongs
 * to. Service agents (`service-NUMBER@serverless-robot-prod…`, `…@gcp-sa-….iam…`) live in Google's
 * projects, not the customer's: undefined for them.
 */
export function accountProject(account: string): string | undefined {
  if (/^service-\d+@/.test(account)) return undefined;
  return /^[^@]+@([a-z][a-z0-9-]{4,28}[a-z0-9])\.iam\.gserviceaccount\.com$/.exec(account)?.[1];
}

/** `gcloud artifacts repositories add-iam-policy-binding` granting the reader role on the repository. */
export function grantCommand(account: string, repo: ArtifactRegistryDestination): string {
  return [
    'gcloud artifacts repositories add-iam-policy-binding',
    shellQuote(repo.repository),
    `--project=${shellQuote(repo.project)}`,
    `--location=${shellQuote(repo.location)}`,
    `--member=${shellQuote(`serviceAccount:${account}`)}`,
    `--role=${READER_ROLE}`,
  ].join(' ');
}
