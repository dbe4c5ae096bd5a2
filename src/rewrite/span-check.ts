/**
 * Checks that a span still holds what the scanner saw, before anything is spliced there: a stale
 * occurrence (the file changed since the scan) or a wrong offset must never write into the wrong
 * place.
 */
import { parse } from 'yaml';
import type { ScalarSpan } from '../scan/types.js';

/** Undefined when the text at the span decodes to the span's value, else what is wrong. */
export function checkSpan(content: string, span: ScalarSpan): string | undefined {
  if (span.start < 0 || span.end > content.length || span.start > span.end)
    return `span ${span.start}-${span.end} is outside the file`;
  const text = content.slice(span.start, span.end);
  const decoded = decode(text, span.style);
  const matches =
    span.style === 'block-literal' || span.style === 'block-folded'
      ? decoded?.trim() === span.value.trim()
      : decoded === span.value;
  return matches
    ? undefined
    : `expected ${JSON.stringify(span.value)} at offset ${span.start}, found ${JSON.stringify(text)}`;
}

function decode(text: string, style: ScalarSpan['style']): string | undefined {
  // Inner spans are only emitted where the source text is exactly the decoded text.
  if (style === 'dockerfile' || style === 'plain' || style === 'dotenv' || style.endsWith('-inner'))
    return text;
  const quote = style === 'double' ? '"' : style === 'single' ? "'" : undefined;
  if (quote && (text.length < 2 || !text.startsWith(quote) || !text.endsWith(quote))) return undefined;
  try {
    // The span alone is a valid one-scalar document: quotes and escapes decode as in place, and a
    // block scalar's body is read relative to its own indentation.
    const value: unknown = parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
