/**
 * The narrow GitHub interface the action needs, and the plain data it exchanges. Repositories
 * are named `owner/name`, as in GITHUB_REPOSITORY.
 */

/** What the action needs to know about a pull request. */
export interface PullRequestInfo {
  number: number;
  state: 'open' | 'closed';
  /** Base branch name and the commit it pointed at when the PR was read. */
  baseRef: string;
  baseSha: string;
  /** Head branch name and commit. */
  headRef: string;
  headSha: string;
  /** `owner/name` of the base repository. */
  baseRepo: string;
  /** `owner/name` of the head repository; undefined when the fork was deleted. */
  headRepo: string | undefined;
  /** True when the head lives in another repository (a fork): the token cannot write there. */
  isFork: boolean;
  /** Number of changed files GitHub reports for the whole PR. */
  changedFiles: number;
}

/** How GitHub describes a file's change in a pull request. */
export type ChangedFileStatus =
  | 'added'
  | 'removed'
  | 'modified'
  | 'renamed'
  | 'copied'
  | 'changed'
  | 'unchanged';

/** One file changed by a pull request. */
export interface ChangedFile {
  /** Path at the head commit (for `removed`, the path that was deleted). */
  path: string;
  status: ChangedFileStatus;
  /** Path at the base commit, for `renamed` and `copied` files. */
  previousPath?: string;
}

/** The changed files of a pull request. */
export interface ChangedFiles {
  files: ChangedFile[];
  /** True when GitHub stopped listing at its 3000-file cap, so some changed files are missing. */
  isTruncated: boolean;
}

/** A file to write in a follow-up commit. */
export interface FileAddition {
  path: string;
  /** The complete new text of the file (UTF-8). */
  contents: string;
}

/** What `commitFiles` needs. */
export interface CommitRequest {
  /** `owner/name` of the repository holding the branch. */
  repo: string;
  /** Branch name without `refs/heads/`. */
  branch: string;
  /** The commit the branch must still point at; the commit is refused otherwise. */
  expectedHeadOid: string;
  headline: string;
  body?: string;
  changes: FileAddition[];
}

/** A commit created on a branch. */
export interface CommitResult {
  oid: string;
  url: string;
}

/** What happened to the sticky comment. */
export interface StickyCommentResult {
  id: number;
  url: string;
  action: 'created' | 'updated' | 'unchanged';
}

/** A replacement proposed for lines `startLine`..`line` (1-based, head side) of a file. */
export interface Suggestion {
  path: string;
  /** Last line of the range (the only line for a single-line suggestion). */
  line: number;
  /** First line of a multi-line range. */
  startLine?: number;
  /** The text that should replace the lines, without a trailing newline. */
  replacement: string;
  /** Markdown shown above the suggestion block. */
  message?: string;
}

/** What `createSuggestionReview` did. */
export interface SuggestionReviewResult {
  /** The review's id; undefined when no suggestion could be placed, so no review was created. */
  reviewId: number | undefined;
  posted: Suggestion[];
  /** Suggestions the token's account already made on the same lines with the same text (a re-run). */
  existing: Suggestion[];
  /** Suggestions on lines outside the PR diff: GitHub would reject comments there. */
  skipped: Suggestion[];
}

/** One regular file of a tree. */
export interface TreeBlob {
  /** Repository-relative path, `/`-separated. */
  path: string;
  /** The blob's object id. */
  sha: string;
  /** Size in bytes, as GitHub lists it. */
  size: number;
}

/** The regular files of a commit, and whether GitHub cut the listing. */
export interface RepositoryTree {
  /** Regular files only: symbolic links (mode 120000), submodules and directories are left out. */
  blobs: TreeBlob[];
  /**
   * True when the recursive listing hit GitHub's limit (100,000 entries or 7 MB), so some files
   * are missing from `blobs`.
   */
  isTruncated: boolean;
}

/** Everything the action asks of GitHub. Created by `createGitHubClient()`. */
export interface GitHubClient {
  /** Reads a pull request of `repo`. */
  getPullRequest(repo: string, number: number): Promise<PullRequestInfo>;
  /** Lists every changed file of a pull request (all pages, up to GitHub's 3000-file cap). */
  listChangedFiles(repo: string, number: number): Promise<ChangedFiles>;
  /** Reads a file's text at `ref`; undefined when the path does not exist there or is not a file. */
  readFile(repo: string, path: string, ref: string): Promise<string | undefined>;
  /**
   * Creates one commit on `branch` whose parent is `expectedHeadOid`, through GraphQL
   * `createCommitOnBranch` (signed by GitHub). Throws `BranchMovedError` when the branch moved and
   * `WorkflowPermissionError` when the token may not change workflow files.
   */
  commitFiles(request: CommitRequest): Promise<CommitResult>;
  /** The login of the token's own account (`github-actions[bot]` for GITHUB_TOKEN). Cached. */
  viewerLogin(): Promise<string>;
  /**
   * The body of the one comment on pull request `number` that holds `marker` and was written by
   * the token's own account (the record earlier runs kept there); undefined when there is none.
   */
  readStickyComment(repo: string, number: number, marker: string): Promise<string | undefined>;
  /**
   * Creates or updates the one comment on pull request `number` that holds `marker` and was written
   * by the token's own account; a comment with the marker by anyone else is ignored.
   */
  upsertStickyComment(
    repo: string,
    number: number,
    marker: string,
    body: string,
  ): Promise<StickyCommentResult>;
  /** Posts one review with a suggestion block per suggestion that lies inside the PR diff. */
  createSuggestionReview(
    repo: string,
    number: number,
    commitId: string,
    suggestions: Suggestion[],
  ): Promise<SuggestionReviewResult>;
  /** Where `head` branched from `base`: their merge base, which a pull request's diff starts from. */
  mergeBase(repo: string, base: string, head: string): Promise<string>;
  /** The regular files of `commit` (one recursive tree listing; `isTruncated` when GitHub cut it). */
  listTree(repo: string, commit: string): Promise<RepositoryTree>;
  /** A blob's bytes by its object id (as listed by `listTree`). */
  readBlob(repo: string, sha: string): Promise<Uint8Array>;
}
