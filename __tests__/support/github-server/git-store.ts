/**
 * A real bare git repository driven through the git CLI: blobs, trees and commits are written
 * with plumbing commands and branches move with `git update-ref <ref> <new> <old>`, git's own
 * compare-and-swap, so a concurrent push really races a commit.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Text files by path (`/`-separated, relative to the repository root). */
export type FileMap = Record<string, string>;

/** An author or committer line. */
export interface Signature {
  name: string;
  email: string;
}

/** What a diff between two commits says about one file, as the pull-request files API reports it. */
export interface DiffEntry {
  status: 'added' | 'removed' | 'modified' | 'renamed';
  path: string;
  previousPath?: string;
  /** Blob at the head side (the base side for removed files). */
  blobSha: string;
  /** Unified diff from the first hunk header on; undefined for binary files. */
  patch: string | undefined;
  additions: number;
  deletions: number;
}

/** A commit as the tests inspect it. */
export interface CommitInfo {
  oid: string;
  parents: string[];
  message: string;
  author: Signature;
  committer: Signature;
}

const ZERO_OID = '0'.repeat(40);

/** One bare repository in a temporary directory. */
export class GitStore {
  private constructor(readonly dir: string) {}

  /** Creates an empty bare repository under `parentDir`. */
  static async create(parentDir: string): Promise<GitStore> {
    const dir = await mkdtemp(join(parentDir, 'repo-'));
    const store = new GitStore(dir);
    await store.git(['init', '--quiet', '--bare', '--initial-branch=main']);
    return store;
  }

  /** Runs git in the repository; throws with stderr unless `allowFail`. */
  async git(
    args: string[],
    options: { input?: string | Buffer; env?: Record<string, string>; allowFail?: boolean } = {},
  ): Promise<{ stdout: Buffer; code: number }> {
    const child = spawn('git', ['-c', 'core.quotePath=false', ...args], {
      cwd: this.dir,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GIT_DIR: this.dir,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        ...options.env,
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    if (options.input !== undefined) {
      // git may exit before reading all of stdin (on an error); its exit code reports that, not EPIPE.
      child.stdin!.on('error', () => {});
      child.stdin!.end(options.input);
    }
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exit) => resolve(exit ?? 1));
    });
    if (code !== 0 && !options.allowFail) {
      throw new Error(`git ${args.join(' ')} failed (${code}): ${Buffer.concat(err).toString().trim()}`);
    }
    return { stdout: Buffer.concat(out), code };
  }

  private async text(args: string[], input?: string): Promise<string> {
    return (await this.git(args, input === undefined ? {} : { input })).stdout.toString('utf8');
  }

  /** Writes blobs for `files` in one `git hash-object --stdin-paths` call; returns their ids in order. */
  private async writeBlobs(contents: string[]): Promise<string[]> {
    if (contents.length === 0) return [];
    const scratch = await mkdtemp(join(this.dir, 'blobs-'));
    try {
      const paths = contents.map((_, index) => join(scratch, String(index)));
      await Promise.all(contents.map((content, index) => writeFile(paths[index]!, content)));
      const out = await this.text(
        ['hash-object', '-w', '--no-filters', '--stdin-paths'],
        `${paths.join('\n')}\n`,
      );
      return out.trim().split('\n');
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }

  /**
   * Writes a commit whose tree is `parent`'s tree (or empty) with `files` added or replaced and
   * `deletions` removed, using a temporary index. Returns the new commit id; no ref moves.
   */
  async writeCommit(options: {
    parent?: string;
    files?: FileMap;
    /** Symbolic links to add, as `{path: target}` (mode 120000, the blob holds the target). */
    symlinks?: FileMap;
    deletions?: string[];
    message: string;
    author?: Signature;
    committer?: Signature;
  }): Promise<string> {
    const index = join(this.dir, `index-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      if (options.parent !== undefined) await this.git(['read-tree', options.parent], { env });
      const entries = Object.entries(options.files ?? {});
      const links = Object.entries(options.symlinks ?? {});
      const oids = await this.writeBlobs([...entries, ...links].map(([, content]) => content));
      // In --index-info, mode 0 with the null id removes a path (no work tree needed, unlike --force-remove).
      const info = [
        ...entries.map(([path], i) => `100644 ${oids[i]}\t${path}`),
        ...links.map(([path], i) => `120000 ${oids[entries.length + i]}\t${path}`),
        ...(options.deletions ?? []).map((path) => `0 ${ZERO_OID}\t${path}`),
      ];
      if (info.length > 0)
        await this.git(['update-index', '--add', '--index-info'], { env, input: `${info.join('\n')}\n` });
      const tree = (await this.git(['write-tree'], { env })).stdout.toString().trim();
      const author = options.author ?? { name: 'Test Author', email: 'author@example.test' };
      const committer = options.committer ?? author;
      const parents = options.parent === undefined ? [] : ['-p', options.parent];
      const out = await this.git(['commit-tree', tree, ...parents, '-F', '-'], {
        input: options.message,
        env: {
          GIT_AUTHOR_NAME: author.name,
          GIT_AUTHOR_EMAIL: author.email,
          GIT_COMMITTER_NAME: committer.name,
          GIT_COMMITTER_EMAIL: committer.email,
        },
      });
      return out.stdout.toString().trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  /** Moves `ref` to `newOid` only if it still points at `oldOid` (undefined: must not exist yet). */
  async compareAndSwap(ref: string, newOid: string, oldOid: string | undefined): Promise<boolean> {
    const { code } = await this.git(['update-ref', ref, newOid, oldOid ?? ZERO_OID], { allowFail: true });
    return code === 0;
  }

  /** The commit `ref` points at, or undefined. */
  async resolve(ref: string): Promise<string | undefined> {
    const { stdout, code } = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      allowFail: true,
    });
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  /** What `path` is at `commit`: a blob (with id, size and git mode), a tree, or undefined. */
  async entry(
    commit: string,
    path: string,
  ): Promise<{ type: 'blob' | 'tree'; oid: string; size: number; mode: string } | undefined> {
    const out = await this.text(['ls-tree', '--long', commit, '--', path.replace(/\/+$/, '')]);
    const match = /^(\d+) (blob|tree|commit) ([0-9a-f]{40})\s+(\d+|-)\t/.exec(out);
    if (!match || match[2] === 'commit') return undefined;
    return {
      type: match[2] as 'blob' | 'tree',
      oid: match[3]!,
      size: match[4] === '-' ? 0 : Number(match[4]),
      mode: match[1]!,
    };
  }

  /** Entries directly under directory `path` at `commit`. */
  async listDirectory(
    commit: string,
    path: string,
  ): Promise<{ type: 'blob' | 'tree'; oid: string; name: string }[]> {
    const out = await this.text([
      'ls-tree',
      commit,
      '--',
      path === '' ? '.' : `${path.replace(/\/+$/, '')}/`,
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta, name] = line.split('\t') as [string, string];
        const [, type, oid] = meta.split(' ') as [string, 'blob' | 'tree', string];
        return { type, oid, name: name.split('/').pop()! };
      });
  }

  /** The best common ancestor of two commits (`git merge-base`), or undefined when they share none. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const { stdout, code } = await this.git(['merge-base', a, b], { allowFail: true });
    return code === 0 ? stdout.toString().trim() : undefined;
  }

  /** A blob's bytes, or undefined when no such blob exists. */
  async blob(oid: string): Promise<Buffer | undefined> {
    const { stdout, code } = await this.git(['cat-file', 'blob', oid], { allowFail: true });
    return code === 0 ? stdout : undefined;
  }

  /** Every file of `commit` with its text. */
  async readFiles(commit: string): Promise<FileMap> {
    const out = await this.text(['ls-tree', '-r', '-z', commit]);
    const files: FileMap = {};
    for (const record of out.split('\0').filter(Boolean)) {
      const [meta, path] = record.split('\t') as [string, string];
      files[path] = (await this.blob(meta.split(' ')[2]!))!.toString('utf8');
    }
    return files;
  }

  /** Commits reachable from `tip` and not from `stop`, newest first. */
  async log(tip: string, stop?: string): Promise<CommitInfo[]> {
    const range = stop === undefined ? [tip] : [tip, `^${stop}`];
    const out = await this.text(['log', '-z', '--format=%H%n%P%n%an%n%ae%n%cn%n%ce%n%B', ...range, '--']);
    return out
      .split('\0')
      .filter(Boolean)
      .map((record) => {
        const [oid, parents, an, ae, cn, ce, ...message] = record.split('\n') as string[];
        return {
          oid: oid!,
          parents: parents ? parents.split(' ') : [],
          author: { name: an!, email: ae! },
          committer: { name: cn!, email: ce! },
          message: message.join('\n').replace(/\n+$/, ''),
        };
      });
  }

  /** The files changed between the merge base of `base` and `head`, and `head` (GitHub's three-dot diff). */
  async diff(base: string, head: string): Promise<DiffEntry[]> {
    // Commit ids name immutable content, so a diff computed once (e.g. for page 1) serves every page.
    const key = `${base}...${head}`;
    let cached = this.diffs.get(key);
    if (cached === undefined) {
      cached = this.computeDiff(base, head);
      this.diffs.set(key, cached);
    }
    return cached;
  }

  private readonly diffs = new Map<string, Promise<DiffEntry[]>>();

  private async computeDiff(base: string, head: string): Promise<DiffEntry[]> {
    const range = `${base}...${head}`;
    const raw = await this.text(['diff', '--raw', '-z', '-M', '--no-abbrev', range]);
    const patches = (await this.text(['diff', '-M', '--no-color', '--no-ext-diff', range])).split(
      /^(?=diff --git )/m,
    );
    const fields = raw.split('\0');
    const entries: DiffEntry[] = [];
    for (let i = 0; i + 1 < fields.length; ) {
      const [, , oldOid, newOid, code] = fields[i]!.split(' ') as string[];
      const letter = code![0]!;
      const renamed = letter === 'R';
      const path = renamed ? fields[i + 2]! : fields[i + 1]!;
      const previousPath = renamed ? fields[i + 1]! : undefined;
      i += renamed ? 3 : 2;
      const text = patches[entries.length] ?? '';
      entries.push(toDiffEntry({ letter, path, previousPath, oldOid: oldOid!, newOid: newOid!, text }));
    }
    return entries;
  }
}

function toDiffEntry(raw: {
  letter: string;
  path: string;
  previousPath: string | undefined;
  oldOid: string;
  newOid: string;
  text: string;
}): DiffEntry {
  const status =
    ({ A: 'added', D: 'removed', R: 'renamed' } as const)[raw.letter as 'A' | 'D' | 'R'] ?? 'modified';
  const hunkStart = raw.text.search(/^@@ /m);
  const patch = hunkStart < 0 ? undefined : raw.text.slice(hunkStart).replace(/\n$/, '');
  const lines = patch?.split('\n') ?? [];
  return {
    status,
    path: raw.path,
    ...(raw.previousPath === undefined ? {} : { previousPath: raw.previousPath }),
    blobSha: status === 'removed' ? raw.oldOid : raw.newOid,
    patch,
    additions: lines.filter((line) => line.startsWith('+')).length,
    deletions: lines.filter((line) => line.startsWith('-')).length,
  };
}
