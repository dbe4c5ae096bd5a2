/**
 * Test-facing API of the simulated GitHub: start it, lay out repositories and pull requests from
 * file maps, push to a branch (also from inside a run, through a request hook), set the token's
 * login and permissions, and read back branches, commits, comments and reviews.
 */
import type { CommitInfo, FileMap } from './git-store.js';
import { type MergeMethod, mergePull } from './merge-handler.js';
import type { RecordedRequest, RequestHook } from './server.js';
import { SimulatedGitHub } from './server.js';
import type { CommentState, PullState, ReviewState, TokenPermissions } from './state.js';
import { branchRef } from './state.js';

export type { CommitInfo, FileMap, MergeMethod, PullState, RecordedRequest, RequestHook, TokenPermissions };

/** What `createPullRequest` needs. */
export interface PullRequestSetup {
  /** `owner/name` of the base repository (created by `createRepo`). */
  repo: string;
  /** Base branch. Default: 'main'. */
  base?: string;
  /** Head branch, created from the base tip plus `files` and `deletions`. */
  head: string;
  files?: FileMap;
  /** Symbolic links added on the head branch, as `{path: target}`. */
  symlinks?: FileMap;
  deletions?: string[];
  /** Renames as `{from: to}`: the file moves with its content unchanged. */
  renames?: Record<string, string>;
  /** `owner/name` of a fork holding the head branch (a fork PR). Default: the base repository. */
  headRepo?: string;
  /** Login of the PR's author. Default: 'octocat'. */
  author?: string;
}

/** A running simulated GitHub. */
export interface GitHubServer {
  /** REST base URL (GITHUB_API_URL). */
  readonly url: string;
  /** GraphQL endpoint (GITHUB_GRAPHQL_URL). */
  readonly graphqlUrl: string;
  /** The one token the server accepts. */
  readonly token: string;
  /** Every exchange that broke GitHub's published contract; tests assert it is empty. */
  readonly violations: string[];
  readonly requests: RecordedRequest[];
  createRepo(repo: string, files: FileMap, defaultBranch?: string): Promise<string>;
  createPullRequest(setup: PullRequestSetup): Promise<{ number: number; baseSha: string; headSha: string }>;
  /** Pushes a commit to a branch (as someone else would during a run); returns its id. */
  pushCommit(
    repo: string,
    branch: string,
    change: { files?: FileMap; symlinks?: FileMap; deletions?: string[]; message?: string },
  ): Promise<string>;
  /** Runs `hook.run` once, just before the server handles the matching request. */
  onRequest(hook: RequestHook): void;
  setToken(token: { login?: string; permissions?: Partial<TokenPermissions> }): void;
  /** Adds a comment as `login` (for example one planting the sticky marker). */
  addComment(repo: string, number: number, login: string, body: string): number;
  branchHead(repo: string, branch: string): Promise<string>;
  branchFiles(repo: string, branch: string): Promise<FileMap>;
  /** The git mode of `path` on `branch` (`100644`, `120000` for a symbolic link), or undefined. */
  fileMode(repo: string, branch: string, path: string): Promise<string | undefined>;
  /** Commits on `branch` after `since` (exclusive), newest first. */
  commits(repo: string, branch: string, since?: string): Promise<CommitInfo[]>;
  comments(repo: string, number: number): CommentState[];
  reviews(repo: string, number: number): ReviewState[];
  /** The pull requests of `repo`, in creation order (live objects: tests may edit them). */
  pulls(repo: string): PullState[];
  /** Closes a pull request (merged or not) as a person would on the web. */
  closePullRequest(repo: string, number: number, options?: { merged?: boolean }): void;
  /**
   * Merges a pull request as its merge button does (`squash`: one single-parent commit on the base)
   * and marks it merged at its current head; returns the new base commit.
   */
  mergePullRequest(repo: string, number: number, method: MergeMethod): Promise<string>;
  /** Merges `branch` into the default branch with a merge commit, as the web's merge button does. */
  mergeBranch(repo: string, branch: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a simulated GitHub on 127.0.0.1 (random port). Stop it with `close()`. */
export async function startGitHubServer(options: { token?: string } = {}): Promise<GitHubServer> {
  const token = options.token ?? 'ghs_simulatedToken0123456789';
  return new ServerHandle(await SimulatedGitHub.start(token), token);
}

class ServerHandle implements GitHubServer {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly violations: string[];
  readonly requests: RecordedRequest[];
  private readonly state: SimulatedGitHub['state'];

  constructor(
    private readonly sim: SimulatedGitHub,
    readonly token: string,
  ) {
    this.state = sim.state;
    this.url = sim.state.baseUrl;
    this.graphqlUrl = `${sim.state.baseUrl}/graphql`;
    this.violations = sim.violations;
    this.requests = sim.requests;
  }

  private addRepo(fullName: string, defaultBranch: string, isFork: boolean): void {
    const [owner, name] = fullName.split('/') as [string, string];
    this.state.repos.set(fullName, { id: this.state.nextId(), owner, name, fullName, defaultBranch, isFork });
  }

  async createRepo(repo: string, files: FileMap, defaultBranch = 'main'): Promise<string> {
    this.addRepo(repo, defaultBranch, false);
    const oid = await this.state.store.writeCommit({ files, message: 'Initial commit' });
    await this.state.store.compareAndSwap(branchRef(repo, defaultBranch), oid, undefined);
    return oid;
  }

  async createPullRequest(
    setup: PullRequestSetup,
  ): Promise<{ number: number; baseSha: string; headSha: string }> {
    const { state } = this;
    const base = setup.base ?? 'main';
    const headRepo = setup.headRepo ?? setup.repo;
    const baseSha = await this.branchHead(setup.repo, base);
    if (!state.repos.has(headRepo)) this.addRepo(headRepo, base, true);
    const moved = await renamedFiles(state.store, baseSha, setup.renames ?? {});
    const headSha = await state.store.writeCommit({
      parent: baseSha,
      files: { ...moved.files, ...setup.files },
      ...(setup.symlinks ? { symlinks: setup.symlinks } : {}),
      deletions: [...(setup.deletions ?? []), ...moved.deletions],
      message: `Change ${setup.head}`,
    });
    await state.store.compareAndSwap(branchRef(headRepo, setup.head), headSha, undefined);
    const number = state.pulls.filter((pull) => pull.repo === setup.repo).length + 1;
    const title = `Change ${setup.head}`;
    const author = setup.author ?? 'octocat';
    state.pulls.push({
      id: state.nextId(),
      number,
      repo: setup.repo,
      baseRef: base,
      headRepo,
      headRef: setup.head,
      author,
      title,
      body: null,
      state: 'open',
      merged: false,
    });
    return { number, baseSha, headSha };
  }

  async pushCommit(
    repo: string,
    branch: string,
    change: { files?: FileMap; symlinks?: FileMap; deletions?: string[]; message?: string },
  ): Promise<string> {
    const parent = await this.branchHead(repo, branch);
    const oid = await this.state.store.writeCommit({
      parent,
      files: change.files ?? {},
      ...(change.symlinks ? { symlinks: change.symlinks } : {}),
      deletions: change.deletions ?? [],
      message: change.message ?? 'Concurrent push',
    });
    if (!(await this.state.store.compareAndSwap(branchRef(repo, branch), oid, parent)))
      throw new Error('push raced');
    return oid;
  }

  onRequest(hook: RequestHook): void {
    this.sim.addHook(hook);
  }

  setToken(token: { login?: string; permissions?: Partial<TokenPermissions> }): void {
    if (token.login !== undefined) this.state.token.login = token.login;
    this.state.token.permissions = { ...this.state.token.permissions, ...token.permissions };
  }

  addComment(repo: string, number: number, login: string, body: string): number {
    const now = new Date().toISOString();
    const id = this.state.nextId();
    this.state.comments.push({ id, repo, number, body, login, createdAt: now, updatedAt: now });
    return id;
  }

  async branchHead(repo: string, branch: string): Promise<string> {
    const oid = await this.state.store.resolve(branchRef(repo, branch));
    if (oid === undefined) throw new Error(`no branch ${branch} in ${repo}`);
    return oid;
  }

  /** The git mode of `path` on `branch` (`100644`, `120000` for a symbolic link), or undefined. */
  async fileMode(repo: string, branch: string, path: string): Promise<string | undefined> {
    return (await this.state.store.entry(await this.branchHead(repo, branch), path))?.mode;
  }

  async branchFiles(repo: string, branch: string): Promise<FileMap> {
    return this.state.store.readFiles(await this.branchHead(repo, branch));
  }

  async commits(repo: string, branch: string, since?: string): Promise<CommitInfo[]> {
    return this.state.store.log(await this.branchHead(repo, branch), since);
  }

  comments(repo: string, number: number): CommentState[] {
    return this.state.comments.filter((c) => c.repo === repo && c.number === number);
  }

  reviews(repo: string, number: number): ReviewState[] {
    return this.state.reviews.filter((r) => r.repo === repo && r.number === number);
  }

  pulls(repo: string): PullState[] {
    return this.state.pulls.filter((pull) => pull.repo === repo);
  }

  closePullRequest(repo: string, number: number, options: { merged?: boolean } = {}): void {
    const pull = this.state.pulls.find((p) => p.repo === repo && p.number === number);
    if (!pull) throw new Error(`no pull request ${repo}#${number}`);
    pull.state = 'closed';
    pull.merged = options.merged ?? false;
    if (pull.merged) pull.mergedAt = new Date().toISOString();
  }

  async mergePullRequest(repo: string, number: number, method: MergeMethod): Promise<string> {
    const pull = this.state.pulls.find((p) => p.repo === repo && p.number === number);
    if (!pull) throw new Error(`no pull request ${repo}#${number}`);
    const outcome = await mergePull(this.state, pull, { method });
    if (outcome.sha === undefined) throw new Error(`merging ${repo}#${number}: ${outcome.message}`);
    return outcome.sha;
  }

  async mergeBranch(repo: string, branch: string): Promise<string> {
    const main = this.state.repos.get(repo)!.defaultBranch;
    const [base, head] = [await this.branchHead(repo, main), await this.branchHead(repo, branch)];
    const tree = (await this.state.store.git(['rev-parse', `${head}^{tree}`])).stdout.toString().trim();
    const merged = await this.state.store.git(['merge-tree', '--write-tree', base, head]);
    const mergedTree = merged.stdout.toString().split('\n')[0]!.trim() || tree;
    const commit = await this.state.store.git(
      ['commit-tree', mergedTree, '-p', base, '-p', head, '-m', `Merge branch ${branch}`],
      {
        env: {
          GIT_AUTHOR_NAME: 'octocat',
          GIT_AUTHOR_EMAIL: 'octocat@users.noreply.github.com',
          GIT_COMMITTER_NAME: 'GitHub',
          GIT_COMMITTER_EMAIL: 'noreply@github.com',
        },
      },
    );
    const oid = commit.stdout.toString().trim();
    if (!(await this.state.store.compareAndSwap(branchRef(repo, main), oid, base)))
      throw new Error('merge raced');
    return oid;
  }

  close(): Promise<void> {
    return this.sim.close();
  }
}

async function renamedFiles(
  store: SimulatedGitHub['state']['store'],
  commit: string,
  renames: Record<string, string>,
): Promise<{ files: FileMap; deletions: string[] }> {
  const all = Object.keys(renames).length === 0 ? {} : await store.readFiles(commit);
  const files: FileMap = {};
  for (const [from, to] of Object.entries(renames)) files[to] = all[from] ?? '';
  return { files, deletions: Object.keys(renames) };
}
