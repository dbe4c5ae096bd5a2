/**
 * Runs a Docker credential helper (`docker-credential-NAME get`, server URL on stdin, JSON
 * `{ServerURL, Username, Secret}` on stdout) as the docker-credential-helpers protocol defines.
 */
import { spawn } from 'node:child_process';
import { MirrorError } from '../../errors.js';
import type { Credential } from './types.js';

/** Options of {@link runCredentialHelper}. */
export interface RunHelperOptions {
  /** Kill the helper after this many milliseconds. Default: 10000. */
  timeoutMs?: number;
  /** Environment (PATH decides which executable runs). Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/** The helper's answer when it has nothing for the server (docker-credential-helpers `ErrCredentialsNotFound`). */
const NOT_FOUND = 'credentials not found in native keychain';
const MAX_OUTPUT = 64 * 1024;

interface HelperRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  timedOut: boolean;
}

function execute(executable: string, serverUrl: string, options: RunHelperOptions): Promise<HelperRun> {
  return new Promise((resolve, reject) => {
    // Own process group, so that a timeout also kills what a script helper started (its stdout
    // pipe would otherwise stay open until those exit).
    const child = spawn(executable, ['get'], {
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    let stdout = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // Never kill(-0): without a pid that would signal our own process group.
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, timedOut });
    });
    // A helper that exits without reading stdin makes this write fail with EPIPE: not our error.
    child.stdin.on('error', () => {});
    child.stdin.end(serverUrl);
  });
}

/**
 * Asks `docker-credential-NAME` for `serverUrl`'s credentials; undefined when it has none.
 * Failures throw without quoting the helper's output, which may contain a secret.
 */
export async function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: RunHelperOptions = {},
): Promise<Credential | undefined> {
  const executable = `docker-credential-${name}`;
  let run: HelperRun;
  try {
    run = await execute(executable, serverUrl, options);
  } catch (err: unknown) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const reason = missing ? 'it is not on PATH' : 'it could not be started';
    throw new MirrorError(`credential helper ${executable} for ${serverUrl}: ${reason}`, { cause: err });
  }
  if (run.timedOut) {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} did not answer within ${options.timeoutMs ?? 10_000} ms`,
    );
  }
  if (run.code !== 0) {
    if (run.stdout.trim() === NOT_FOUND) return undefined;
    const how = run.signal ? `was killed by ${run.signal}` : `exited with code ${run.code}`;
    throw new MirrorError(`credential helper ${executable} for ${serverUrl} ${how}`);
  }
  return parseHelperOutput(executable, serverUrl, run.stdout);
}

function parseHelperOutput(executable: string, serverUrl: string, stdout: string): Credential | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} printed something that is not JSON`,
    );
  }
  const { Username: username, Secret: password } = (parsed ?? {}) as { Username?: unknown; Secret?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw new MirrorError(
      `credential helper ${executable} for ${serverUrl} printed JSON without Username and Secret`,
    );
  }
  if (password === '') return undefined;
  return { username, password };
}
