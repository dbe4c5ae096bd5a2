import { errorMessage, MirrorError } from '../errors.js';
import { processSecrets, type Redactor } from '../secrets.js';
import { disarmCommands, escapeControl } from '../text/escape.js';

/** What a CLI command may touch of the process, passed in so commands can run inside tests. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal (progress displays redraw in place). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Directory that relative paths are resolved against and reported relative to. Default: process.cwd(). */
  cwd?: string;
  /** Reads all of standard input as bytes (for `scan -`, which decodes them strictly). Default: empty. */
  readStdin?: () => Promise<Uint8Array>;
}

/**
 * The CLI's streams with every registered secret masked and no line able to start a workflow
 * command: cli.ts hands every command this, so no command's output (tables, JSON, error lines,
 * progress) can print a secret, and none run in a GitHub Actions step (a table row starting with
 * a file named `::error::…`, a diff line ` ::stop-commands::…`) can forge an annotation or stop
 * the runner's masking. Default redactor: processSecrets, where every Logger registers what it is given.
 */
export function guardIO(io: CommandIO, redactor: Redactor = processSecrets): CommandIO {
  return {
    ...io,
    stdout: (text) => io.stdout(inertToRunner(redactor.redact(text))),
    stderr: (text) => io.stderr(inertToRunner(redactor.redact(text))),
  };
}

/**
 * The runner reads a line as a command when, after leading blanks, it starts with `::`, or when it
 * holds `##[` anywhere. The first `:` becomes `\x3a`, as escapeControl writes characters; `[`
 * after `##` becomes `\u005b`, which JSON output decodes to the same `[`, so `--json` data keeps
 * its value. Text without either comes back unchanged.
 */
export function inertToRunner(text: string): string {
  return disarmCommands(text, '\\x3a', '\\u005b');
}

/** Exit code: the command did what was asked. */
export const EXIT_OK = 0;
/** Exit code: a copy or rewrite failed. */
export const EXIT_FAILURE = 1;
/** Exit code: the command line was wrong (a usage error). */
export const EXIT_USAGE = 2;

/** A usage problem: the command prints the message and its usage line and exits with 2. */
export class UsageError extends MirrorError {}

/**
 * Parses a command's arguments the same way for every command: `--help` prints the usage on
 * stdout (exit 0), a usage error prints the message and the usage on stderr (exit 2).
 * Returns the parsed arguments, or the exit code when the command should stop here.
 */
export function parseCommandLine<T>(
  command: string,
  usage: string,
  io: CommandIO,
  parse: () => T | 'help',
): { args: T } | { exit: number } {
  let parsed: T | 'help';
  try {
    parsed = parse();
  } catch (err) {
    io.stderr(`ar-mirror ${command}: ${escapeControl(errorMessage(err))}\n${usage}\n`);
    return { exit: EXIT_USAGE };
  }
  if (parsed === 'help') {
    io.stdout(`${usage}\n`);
    return { exit: EXIT_OK };
  }
  return { args: parsed };
}
