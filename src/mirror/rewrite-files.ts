/**
 * Applies an edit plan to file texts, file by file. A file whose rewrite does not verify is left
 * out (and reported) while the others go ahead; nothing here writes anywhere.
 */
import type { EditPlan } from '../plan/index.js';
import { applyEdits } from '../rewrite/index.js';
import type { ExtractResult, FinderContext } from '../scan/types.js';

/** One file's current text, as scanned (no byte-order mark). */
export interface FileText {
  content: string;
  context: FinderContext;
}

export interface FileChange {
  file: string;
  /** The whole new text of the file. */
  content: string;
  /** How many occurrences changed. */
  edits: number;
}

export interface RewriteOutcome {
  changes: FileChange[];
  failures: { file: string; reason: string }[];
}

/** Rewrites every file of the plan; `extract` re-scans a file's new text for verification. */
export function rewriteFiles(
  plan: EditPlan,
  texts: ReadonlyMap<string, FileText>,
  extract: (file: string, content: string, context: FinderContext) => ExtractResult,
): RewriteOutcome {
  const outcome: RewriteOutcome = { changes: [], failures: [] };
  for (const { file, edits } of plan.files) {
    const text = texts.get(file);
    if (!text) {
      outcome.failures.push({ file, reason: `${file}: the file's text is not available` });
      continue;
    }
    const result = applyEdits(file, text.content, edits, (name, content) =>
      extract(name, content, text.context),
    );
    if (!result.ok) outcome.failures.push({ file, reason: result.reason });
    else if (result.changed.length > 0)
      outcome.changes.push({ file, content: result.content, edits: result.changed.length });
  }
  return outcome;
}
