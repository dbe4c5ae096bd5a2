/**
 * Helm chart templates are Go templates, not YAML, so they are read line by line: an `image:`
 * line that no template action touches (`image: busybox:1.36` in an init container) is a literal
 * image the chart always deploys, and is reported with an exact span. Lines inside a template
 * action (`{{ … }}`, including template comments spanning several lines), comment lines and
 * lines inside a YAML block scalar (a ConfigMap's embedded file) are not. Images built by
 * template actions come from the values file; one notice names their lines.
 */
import { tryParseReference } from '../../reference/index.js';
import { notMirroredReason } from '../placeholders.js';
import type { Diagnostic, ExtractResult, ImageOccurrence, ScalarSpan } from '../types.js';
import { createLineIndex } from '../yaml/position.js';
import { quote } from '../yaml/scan.js';

/** True for a file under a `templates/` directory that holds template actions. */
export function isHelmTemplate(content: string, file: string): boolean {
  return /(?:^|\/)templates\//.test(file) && content.includes('{{');
}

/** `image:` (optionally a list item), then a quoted or plain value, then an optional comment. */
const IMAGE_LINE =
  /^([ \t]*(?:-[ \t]+)?)(?:image|"image"|'image')[ \t]*:[ \t]+(?:"([^"\\]*)"|'([^']*)'|([^\s#'"][^#]*?))[ \t]*(?:#.*)?$/d;
/** A key whose value is a block scalar (`data: |`, `script: >-`): its lines are text, not YAML. */
const BLOCK_SCALAR = /:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$/;
const MAX_TEMPLATED_LINES_SHOWN = 10;

/** Extracts the literal images of one Helm template. Never throws. */
export function extractHelmTemplate(content: string, file: string): ExtractResult {
  const occurrences: ImageOccurrence[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = createLineIndex(content);
  const templated = actionLines(content);
  const templatedImages: number[] = [];
  let blockIndent = -1;
  let start = 0;
  for (let line = 1; start <= content.length; line++) {
    const newline = content.indexOf('\n', start);
    const end = newline < 0 ? content.length : newline;
    const text = content.slice(start, end).replace(/\r$/, '');
    const indent = /^[ \t]*/.exec(text)![0].length;
    const blank = text.trim() === '' || text.trimStart().startsWith('#');
    if (templated.has(line)) {
      if (/^\s*(?:-\s+)?image\s*:/.test(text)) templatedImages.push(line);
    } else if (!blank && blockIndent >= 0 && indent > blockIndent) {
      // Inside a block scalar.
    } else if (!blank) {
      blockIndent = BLOCK_SCALAR.test(text) ? indent : -1;
      const found = IMAGE_LINE.exec(text);
      if (found) literalImage({ file, content, lines, occurrences, diagnostics }, start, found, line);
    }
    if (newline < 0) break;
    start = newline + 1;
  }
  if (templatedImages.length > 0) diagnostics.push(templatedNotice(file, templatedImages));
  return { occurrences, diagnostics };
}

/** 1-based numbers of the lines that a template action covers, wholly or in part. */
function actionLines(content: string): Set<number> {
  const covered = new Set<number>();
  let line = 1;
  let at = 0;
  for (let open = content.indexOf('{{'); open >= 0; open = content.indexOf('{{', at)) {
    line += count(content, '\n', at, open);
    const close = content.indexOf('}}', open + 2);
    const end = close < 0 ? content.length : close + 2;
    const last = line + count(content, '\n', open, end);
    for (let l = line; l <= last; l++) covered.add(l);
    line = last;
    at = end;
  }
  return covered;
}

function count(text: string, char: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf(char, from); i >= 0 && i < to; i = text.indexOf(char, i + 1)) n++;
  return n;
}

interface Sink {
  file: string;
  content: string;
  lines: ReturnType<typeof createLineIndex>;
  occurrences: ImageOccurrence[];
  diagnostics: Diagnostic[];
}

function literalImage(sink: Sink, lineStart: number, found: RegExpExecArray, line: number): void {
  const [, , double, single, plain] = found;
  const group = double !== undefined ? 2 : single !== undefined ? 3 : 4;
  const [from, to] = found.indices?.[group] ?? [0, 0];
  const value = double ?? single ?? plain ?? '';
  if (value.trim() === '') return;
  const quoted = group !== 4;
  const span: ScalarSpan = {
    start: lineStart + from - (quoted ? 1 : 0),
    end: lineStart + to + (quoted ? 1 : 0),
    style: group === 2 ? 'double' : group === 3 ? 'single' : 'plain',
    value: group === 3 ? value.replaceAll("''", "'") : value,
  };
  const text = span.value.trim();
  const notMirrored = notMirroredReason(text);
  if (notMirrored) {
    sink.diagnostics.push({
      file: sink.file,
      line,
      severity: 'notice',
      message: `image ${quote(text)} ${notMirrored}`,
    });
    return;
  }
  const parsed = tryParseReference(text);
  if (!parsed.ok) {
    const message = `invalid image reference ${quote(text)}: ${parsed.reason}`;
    sink.diagnostics.push({ file: sink.file, line, severity: 'warning', message });
    return;
  }
  sink.occurrences.push({
    file: sink.file,
    kind: 'helm',
    start: sink.lines.positionAt(span.start),
    end: sink.lines.positionAt(span.end),
    raw: sink.content.slice(span.start, span.end),
    reference: parsed.reference,
    target: { type: 'scalar', scalar: span, prefix: '' },
  });
}

function templatedNotice(file: string, lines: number[]): Diagnostic {
  const shown = lines.slice(0, MAX_TEMPLATED_LINES_SHOWN).join(', ');
  const more =
    lines.length > MAX_TEMPLATED_LINES_SHOWN ? ` and ${lines.length - MAX_TEMPLATED_LINES_SHOWN} more` : '';
  return {
    file,
    line: lines[0]!,
    severity: 'notice',
    message: `Helm template: the image(s) on line(s) ${shown}${more} are built by template actions ({{ }}); they come from the chart's values file`,
  };
}
