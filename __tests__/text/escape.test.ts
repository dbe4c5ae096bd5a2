import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, escapeWorkflowLine } from '../../src/text/escape.js';

describe('escapeControl', () => {
  it('shows newlines, escape sequences and bidi overrides as visible escapes', () => {
    expect(escapeControl('a\nb\r\tc\x1b[31md\u202ee\u0085f\x7f')).toBe(
      'a\\nb\\r\\tc\\x1b[31md\\u202ee\\x85f\\x7f',
    );
  });

  it('leaves ordinary text, including non-Latin letters, alone', () => {
    expect(escapeControl('ghcr.io/äpp/日本:1 → 262 B/s')).toBe('ghcr.io/äpp/日本:1 → 262 B/s');
  });

  it('never leaves a control character behind', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(escapeControl(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
      }),
    );
  });
});

/** How the runner reads one line: a command after leading whitespace, or `##[` anywhere. */
function isWorkflowCommand(line: string): boolean {
  return /^\s*::/.test(line) || line.includes('##[');
}

describe('escapeWorkflowLine', () => {
  it('turns injected commands into one inert line', () => {
    const line = escapeWorkflowLine('::stop-commands::tok\n::error title=x::y\r\n  ##[warning]z 100%');

    expect(line).toBe('%3A:stop-commands::tok%0A::error title=x::y%0D%0A  ##%5Bwarning]z 100%25');
    expect(line.split(/\r?\n|\r/)).toEqual([line]);
    expect(isWorkflowCommand(line)).toBe(false);
  });

  it('escapes a command behind leading whitespace, which the runner trims', () => {
    expect(escapeWorkflowLine(' \u3000::add-mask::x')).toBe(' \u3000%3A:add-mask::x');
  });

  it('gives one line that is never a workflow command, whatever the text', () => {
    const pieces = fc.constantFrom('::', ':', '#', '##[', '\n', '\r', ' ', '\t', '%', 'error', '\u2028', 'x');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 12 }), (parts) => {
        const line = escapeWorkflowLine(parts.join(''));
        expect(line).not.toMatch(/[\r\n]/);
        expect(isWorkflowCommand(line)).toBe(false);
      }),
    );
  });
});
