/** The four platform commands' --help and usage errors, through their command runners. */
import { describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../src/commands/doctor.js';
import type { CommandIO } from '../../src/commands/io.js';
import { runPullsCommand } from '../../src/commands/pulls.js';
import { runRefreshCommand } from '../../src/commands/refresh.js';
import { runRuntimeConfigCommand } from '../../src/commands/runtime-config.js';
import { runVerifyCommand } from '../../src/commands/verify.js';
import { runCommand } from './run-command.js';

type Runner = (argv: string[], io: CommandIO) => Promise<number>;
const RUNNERS: [string, Runner][] = [
  ['pulls', runPullsCommand],
  ['doctor', runDoctorCommand],
  ['runtime-config', runRuntimeConfigCommand],
  ['verify', runVerifyCommand],
];

describe('platform commands', () => {
  it.each(RUNNERS)('%s --help prints its usage on stdout and exits 0', async (name, runner) => {
    const run = await runCommand(runner, ['--help']);

    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.startsWith(`usage: ar-mirror ${name}`)).toBe(true);
  });

  it.each([...RUNNERS, ['refresh', runRefreshCommand] as [string, Runner]])(
    '%s --help names --verbose/-v, which it accepts',
    async (_name, runner) => {
      const help = await runCommand(runner, ['--help']);
      const accepted = await runCommand(runner, ['-v', '--help']);

      expect(help.stdout).toMatch(/^ {2}--verbose, -v {2,}\S/m);
      expect(accepted.code).toBe(0);
    },
  );

  it.each([
    [runPullsCommand, [], 'give a FILE (or - for stdin), --project or --bigquery'],
    [runPullsCommand, ['--project', 'Bad_Project'], '--project: "Bad_Project" is not a project ID'],
    [runPullsCommand, ['-', '--since', '7y'], '--since: expected a duration like 30m, 12h, 7d or 2w'],
    [runPullsCommand, ['-', '--after', '1h'], '--after needs --fail-on-third-party'],
    [
      runDoctorCommand,
      ['--cluster', 'projects/p/locations/l/clusters/c'],
      '--to LOCATION-docker.pkg.dev/PROJECT/REPOSITORY is required',
    ],
    [
      runDoctorCommand,
      ['--to', 'ghcr.io/acme/x', '--cluster', 'projects/acme-prod/locations/l/clusters/c'],
      'is not an Artifact Registry Docker host',
    ],
    [
      runRuntimeConfigCommand,
      ['--to', 'us-docker.pkg.dev/p/r', '--format', 'docker'],
      '--format: expected containerd, cri-o, bare-metal',
    ],
    [
      runRuntimeConfigCommand,
      ['--to', 'us-docker.pkg.dev/p/r', '--format', 'cri-o', '--registries', 'Docker Hub'],
      'is not a registry host',
    ],
    [runVerifyCommand, ['-', 'x'], '"-" (stdin) cannot be combined with other paths'],
    [runVerifyCommand, ['--platform', 'linux'], '--platform'],
  ] as [Runner, string[], string][])(
    'usage error %#: exit 2 with the reason',
    async (runner, argv, reason) => {
      const run = await runCommand(runner, argv, { env: { AR_MIRROR_GCP_ACCESS_TOKEN: 'unused-token' } });

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(reason);
    },
  );

  it('refuses a base URL override that is not http(s), naming the variable', async () => {
    const run = await runCommand(runPullsCommand, ['--project', 'acme-prod'], {
      env: { AR_MIRROR_LOGGING_API: 'file:///etc/passwd' },
    });

    expect([run.code, run.stderr.includes('AR_MIRROR_LOGGING_API must be an http(s) URL')]).toEqual([
      2,
      true,
    ]);
  });
});
