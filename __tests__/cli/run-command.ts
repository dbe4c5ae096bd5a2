/** Runs a command runner in-process with captured output, as the CLI would (no real process streams). */
import type { CommandIO } from '../../src/commands/io.js';

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Calls `runner(argv, io)` with `env` (and `stdin` bytes) and collects what it prints. */
export async function runCommand(
  runner: (argv: string[], io: CommandIO) => Promise<number>,
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {},
): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runner(argv, {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    isTTY: false,
    env: { HOME: '/nonexistent', DOCKER_CONFIG: '/nonexistent', ...options.env },
    readStdin: async () => Buffer.from(options.stdin ?? ''),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
