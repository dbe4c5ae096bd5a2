/**
 * Per-document pre-filter for multi-document streams. A manifest file often pairs a Deployment
 * with a Service or ConfigMap that has no image; parsing those documents is most of the cost of
 * scanning the file and can never yield anything.
 */

/**
 * Returns `content` with the body of every document that `keep` rejects replaced by spaces (line
 * breaks stay), so the parser sees an empty document there while every offset and line of the
 * kept documents is unchanged. Returns `content` itself when nothing is blanked.
 *
 * Documents are split where the `yaml` lexer always splits them: `---` or `...` at the start of a
 * line (after `\n`) followed by a space, tab, line break or the end. Such a line ends any scalar
 * or collection, quoted and flow ones included, and anchors never reach across documents, so a
 * document's keys and values are all inside its own text. A stream with a directive (`%` at the
 * start of a line) is left whole: directives belong to the document after them.
 */
export function blankDocuments(content: string, keep: (document: string) => boolean): string {
  const starts = documentStarts(content);
  if (starts.length < 2 || content.startsWith('%') || content.includes('\n%')) return content;
  let result = '';
  let blanked = false;
  for (let i = 0; i < starts.length; i++) {
    const document = content.slice(starts[i], starts[i + 1] ?? content.length);
    if (keep(document)) {
      result += document;
      continue;
    }
    blanked = true;
    // The marker itself stays, so the blank lines form their own empty document.
    const marker = isMarkerAt(document, 0) ? 3 : 0;
    result += document.slice(0, marker) + document.slice(marker).replace(/[^\n]/g, ' ');
  }
  return blanked ? result : content;
}

/** Offsets where documents start: 0, then each marker line. */
function documentStarts(content: string): number[] {
  const starts = [0];
  for (let newline = content.indexOf('\n'); newline >= 0; newline = content.indexOf('\n', newline + 1)) {
    if (isMarkerAt(content, newline + 1)) starts.push(newline + 1);
  }
  return starts;
}

function isMarkerAt(text: string, offset: number): boolean {
  const marker = text.slice(offset, offset + 3);
  if (marker !== '---' && marker !== '...') return false;
  const next = text[offset + 3];
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r';
}
