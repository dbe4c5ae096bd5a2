/**
 * Unified diffs of a rewrite, for `migrate --dry-run`: what would be written, per file, in the
 * format `git diff` and `patch` read. Line-based Myers diff (O((N+M)·D), D the number of changed
 * lines); a rewrite changes a few lines, and past a bound the remaining middle is shown as one
 * replaced block rather than searched further. Pure: strings in, a string out.
 */

/** Options of unifiedDiff. */
export interface DiffOptions {
  /** Unchanged lines shown around each change. Default: 3. */
  context?: number;
}

/** Edit-script length beyond which the search stops and the rest is one replacement. */
const MAX_EDIT_DISTANCE = 2000;

/** Marks a last line that has no line break, so it differs from the same text with one. */
const NO_EOL = '\u0000no-eol';

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The unified diff of `before` → `after` for `file`, or '' when they are equal. */
export function unifiedDiff(file: string, before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  return `--- a/${file}\n+++ b/${file}\n${hunks(ops, options.context ?? 3).join('')}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

/** The edit script from `a` to `b`: common prefix and suffix kept, the middle by Myers. */
function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const same = (lines: string[]): Op[] => lines.map((line) => ({ kind: ' ', line }));
  const middle = myers(a.slice(start, endA), b.slice(start, endB));
  return [...same(a.slice(0, start)), ...middle, ...same(a.slice(endA))];
}

/** Myers' shortest edit script; `trace[d]` keeps the furthest x per diagonal before step d. */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v);
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
      let x = down ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, offset);
    }
    v = next;
  }
  // Too many differences to search: the whole middle is one replacement.
  return [...a.map((line): Op => ({ kind: '-', line })), ...b.map((line): Op => ({ kind: '+', line }))];
}

function backtrack(trace: Int32Array[], a: string[], b: string[], offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const previousK = down ? k + 1 : k - 1;
    const previousX = v[offset + previousK]!;
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x]! });
    }
    if (down) ops.push({ kind: '+', line: b[--y]! });
    else ops.push({ kind: '-', line: a[--x]! });
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: ' ', line: a[x]! });
  }
  return ops.reverse();
}

/** Groups the script into hunks with `context` unchanged lines around each change. */
function hunks(ops: Op[], context: number): string[] {
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]));
  const result: string[] = [];
  for (let i = 0; i < changed.length; i++) {
    const first = Math.max(0, changed[i]! - context);
    let last = Math.min(ops.length - 1, changed[i]! + context);
    while (i + 1 < changed.length && changed[i + 1]! - context <= last + 1) {
      i++;
      last = Math.min(ops.length - 1, changed[i]! + context);
    }
    result.push(hunk(ops, first, last));
  }
  return result;
}

function hunk(ops: Op[], first: number, last: number): string {
  let oldLine = 1;
  let newLine = 1;
  for (const op of ops.slice(0, first)) {
    if (op.kind !== '+') oldLine++;
    if (op.kind !== '-') newLine++;
  }
  const slice = ops.slice(first, last + 1);
  const oldCount = slice.filter((op) => op.kind !== '+').length;
  const newCount = slice.filter((op) => op.kind !== '-').length;
  const range = (line: number, count: number) => `${count === 0 ? line - 1 : line},${count}`;
  const body = slice.map(({ kind, line }) =>
    line.endsWith(NO_EOL)
      ? `${kind}${line.slice(0, -NO_EOL.length)}\n\\ No newline at end of file\n`
      : `${kind}${line}\n`,
  );
  return `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n${body.join('')}`;
}
