/**
 * Checks of a `scan --json` report that the scan benchmark runs on every tree, so a faster scanner
 * cannot pass while reporting something else: every reference's line/column span must hold its
 * `raw` text in the file (read again from disk, BOM removed, as the scanner reads it), and with
 * BENCH_BASELINE the report must be byte-identical to the baseline build's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface SpanRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  raw: string;
}

/** The text between two 1-based line/column positions (columns in UTF-16 code units). */
function textAt(lines: readonly string[], record: SpanRecord): string | undefined {
  const first = lines[record.line - 1];
  const last = lines[record.endLine - 1];
  if (first === undefined || last === undefined) return undefined;
  if (record.line === record.endLine) return first.slice(record.column - 1, record.endColumn - 1);
  const middle = lines.slice(record.line, record.endLine - 1);
  return [first.slice(record.column - 1), ...middle, last.slice(0, record.endColumn - 1)].join('\n');
}

/** The references whose span does not hold their raw text (at most `limit` of them described). */
export function spanMismatches(root: string, references: readonly SpanRecord[], limit = 5): string[] {
  const files = new Map<string, string[]>();
  const mismatches: string[] = [];
  for (const record of references) {
    let lines = files.get(record.file);
    if (!lines) {
      const text = readFileSync(path.join(root, record.file), 'utf8');
      lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
      files.set(record.file, lines);
    }
    const found = textAt(lines, record);
    if (found === record.raw) continue;
    if (mismatches.length < limit)
      mismatches.push(
        `${record.file}:${record.line}:${record.column}: ${JSON.stringify(found)} is not ${JSON.stringify(record.raw)}`,
      );
    else if (mismatches.length === limit) mismatches.push('…');
  }
  return mismatches;
}
