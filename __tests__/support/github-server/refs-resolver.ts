/**
 * GraphQL `updateRefs`, done for real on branch refs: each update's `beforeOid` must match, a move
 * without `force` must be a fast-forward, and all refs move in one `git update-ref --stdin`
 * transaction, or none does. A move that changes files under `.github/workflows/` needs the
 * `workflows` permission, as every push of a GitHub App does. GitHub documents no wording for
 * these refusals; the messages here are the simulator's, and clients must not parse them.
 */
import { GitHubGraphqlError } from './graphql.js';
import type { SimState } from './state.js';
import { branchRef } from './state.js';

interface RefUpdateInput {
  name: string;
  afterOid: string;
  beforeOid?: string | null;
  force?: boolean | null;
}

interface UpdateRefsInput {
  clientMutationId?: string | null;
  repositoryId: string;
  refUpdates: RefUpdateInput[];
}

const ZERO_OID = '0'.repeat(40);

/** Resolves `updateRefs(input:)`; the payload only echoes `clientMutationId`. */
export async function updateRefs(state: SimState, input: UpdateRefsInput) {
  const repo = [...state.repos.values()].find((r) => `R_${r.id}` === input.repositoryId);
  if (!repo)
    throw new GitHubGraphqlError(
      'NOT_FOUND',
      `Could not resolve to a node with the global id of '${input.repositoryId}'`,
    );
  if (state.token.permissions.contents !== 'write' || repo.isFork)
    throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
  const lines: string[] = [];
  for (const update of input.refUpdates) {
    const branch = update.name.startsWith('refs/heads/') ? update.name.slice('refs/heads/'.length) : '';
    if (branch === '' || update.afterOid === ZERO_OID)
      throw new Error(`updateRefs: the simulator only moves existing branches, not ${update.name}`);
    const ref = branchRef(repo.fullName, branch);
    const current = (await state.store.resolve(ref)) ?? ZERO_OID;
    if (update.beforeOid != null && update.beforeOid !== current)
      throw new GitHubGraphqlError('UNPROCESSABLE', `${update.name} does not point to ${update.beforeOid}`);
    if ((await state.store.resolve(update.afterOid)) !== update.afterOid)
      throw new GitHubGraphqlError('UNPROCESSABLE', `Object ${update.afterOid} does not exist`);
    if (current !== ZERO_OID && update.force !== true && !(await isAncestor(state, current, update.afterOid)))
      throw new GitHubGraphqlError('UNPROCESSABLE', `${update.name}: update is not a fast forward`);
    if (current !== ZERO_OID) await refuseWorkflowChange(state, current, update.afterOid);
    lines.push(`update ${ref} ${update.afterOid} ${current}`);
  }
  // One transaction: a ref moved since it was read fails the whole update, as beforeOid promises.
  const applied = await state.store.git(['update-ref', '--stdin'], {
    input: `${lines.join('\n')}\n`,
    allowFail: true,
  });
  if (applied.code !== 0) throw new GitHubGraphqlError('UNPROCESSABLE', 'A reference moved meanwhile');
  return { clientMutationId: input.clientMutationId ?? null };
}

async function isAncestor(state: SimState, ancestor: string, descendant: string): Promise<boolean> {
  const out = await state.store.git(['merge-base', '--is-ancestor', ancestor, descendant], {
    allowFail: true,
  });
  return out.code === 0;
}

async function refuseWorkflowChange(state: SimState, from: string, to: string): Promise<void> {
  if (state.token.permissions.workflows) return;
  const out = await state.store.git(['diff', '--name-only', from, to, '--', '.github/workflows/']);
  const workflow = out.stdout.toString('utf8').split('\n').find(Boolean);
  if (workflow !== undefined)
    throw new GitHubGraphqlError(
      'FORBIDDEN',
      `refusing to allow a GitHub App to create or update workflow \`${workflow}\` without \`workflows\` permission`,
    );
}
