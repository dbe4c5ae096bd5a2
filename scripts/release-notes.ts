/**
 * Prints the CHANGELOG.md section of a version, the notes of its GitHub release:
 *
 *   node --import tsx scripts/release-notes.ts 1.2.3                      the [1.2.3] section, or exit 1
 *   node --import tsx scripts/release-notes.ts 1.2.3 --allow-unreleased   [Unreleased] when 1.2.3 has none (dry runs)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The body of `## [VERSION]` (up to the next `## `), trimmed; undefined when there is no such section. */
export function changelogSection(changelog: string, version: string): string | undefined {
  const lines = changelog.split(/\r?\n/);
  const heading = new RegExp(`^## \\[${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\](\\s|$)`);
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return undefined;
  const length = lines.slice(start + 1).findIndex((line) => line.startsWith('## '));
  const body = lines.slice(start + 1, length < 0 ? undefined : start + 1 + length);
  // Link definitions at the end of the file belong to no section.
  return body
    .filter((line) => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim();
}

/** The notes of a release: its section, or with `allowUnreleased` the [Unreleased] one; errors say what to add. */
export function releaseNotes(changelog: string, version: string, allowUnreleased = false): string {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version))
    throw new Error(`"${version}" is not a version X.Y.Z`);
  const notes =
    changelogSection(changelog, version) ??
    (allowUnreleased ? changelogSection(changelog, 'Unreleased') : undefined);
  if (!notes) {
    throw new Error(
      `CHANGELOG.md has no "## [${version}]" section with notes: rename [Unreleased] to [${version}] - YYYY-MM-DD before tagging v${version}`,
    );
  }
  return notes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'allow-unreleased': { type: 'boolean', default: false },
      file: { type: 'string', default: 'CHANGELOG.md' },
    },
  });
  try {
    process.stdout.write(
      `${releaseNotes(readFileSync(values.file, 'utf8'), positionals[0] ?? '', values['allow-unreleased'])}\n`,
    );
  } catch (err) {
    process.stderr.write(`release-notes: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
