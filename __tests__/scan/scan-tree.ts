/**
 * Helpers for tests that scan a whole fixture tree the way `ar-mirror scan` does: every finder,
 * every file visible to the others. Results are summarised as one line per reference
 * (`file:line:column kind image raw`) so a test lists what a reader can check by eye.
 */
import { fileURLToPath } from 'node:url';
import { formatReference } from '../../src/reference/index.js';
import { allFinders } from '../../src/scan/index.js';
import { createProjectFiles } from '../../src/scan/project.js';
import { type ScanResult, scanPaths } from '../../src/scan/scan.js';
import type { FinderContext } from '../../src/scan/types.js';

/** Scans a directory under `__tests__/fixtures/` with every finder. */
export function scanFixture(directory: string): ScanResult {
  const cwd = fileURLToPath(new URL(`../fixtures/${directory}/`, import.meta.url));
  return scanPaths(['.'], { finders: allFinders, cwd });
}

/** `file:line:column kind image raw` for each reference, in report order. */
export function summary(result: Pick<ScanResult, 'occurrences'>): string[] {
  return [...result.occurrences]
    .sort((a, b) =>
      a.file < b.file
        ? -1
        : a.file > b.file
          ? 1
          : a.start.line - b.start.line || a.start.column - b.start.column,
    )
    .map(
      (o) => `${o.file}:${o.start.line}:${o.start.column} ${o.kind} ${formatReference(o.reference)} ${o.raw}`,
    );
}

/** `severity file:line message` for each diagnostic, in report order. */
export function diagnosticLines(result: Pick<ScanResult, 'diagnostics'>): string[] {
  return [...result.diagnostics]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
    .map((d) => `${d.severity} ${d.file}:${d.line} ${d.message}`);
}

/** A finder context that sees the given files as the rest of the scan (for inline cases). */
export function projectContext(files: Record<string, string>): FinderContext {
  const project = createProjectFiles(Object.entries(files).map(([file, content]) => ({ file, content })));
  return { hasSibling: () => false, project };
}

/** Every reference's `raw` must be exactly the text at its position (the span check of issue 8). */
export function spansMatch(result: ScanResult): string[] {
  const byFile = new Map(result.files.map((f) => [f.file, f.content]));
  const problems: string[] = [];
  for (const o of result.occurrences) {
    const content = byFile.get(o.file) ?? '';
    const lines = content.split('\n');
    const start = offset(lines, o.start.line, o.start.column);
    const end = offset(lines, o.end.line, o.end.column);
    if (content.slice(start, end) !== o.raw)
      problems.push(`${o.file}:${o.start.line}:${o.start.column} ${o.raw}`);
  }
  return problems;
}

function offset(lines: string[], line: number, column: number): number {
  let at = 0;
  for (let i = 0; i < line - 1; i++) at += (lines[i] ?? '').length + 1;
  return at + column - 1;
}
