/** `--help` on every command: the usage on stdout, nothing on stderr, exit 0. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve('dist/cli.js');

describe('ar-mirror <command> --help', () => {
  it.each([
    ['scan', '--help', 'usage: ar-mirror scan [PATH...]'],
    ['copy', '-h', 'usage: ar-mirror copy SOURCE DESTINATION'],
    ['migrate', '--help', 'usage: ar-mirror migrate [PATH...] --to DESTINATION'],
  ])('%s %s prints its usage on stdout and exits 0', (command, flag, usage) => {
    const result = spawnSync(process.execPath, [CLI, command, flag], { encoding: 'utf8' });

    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(result.stdout.startsWith(usage)).toBe(true);
  });
});
