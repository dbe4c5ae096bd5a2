import { describe, expect, it } from 'vitest';
import { blankDocuments } from '../../src/scan/yaml/documents.js';

const hasImage = (text: string) => text.includes('image');

describe('blankDocuments', () => {
  it('blanks the bodies of rejected documents, keeping markers, line breaks and every offset', () => {
    const content = 'kind: A\n---\nkind: B\nimage: x\n--- # c\nport: 80\n...\nkind: D\n';

    const result = blankDocuments(content, hasImage);

    expect(result).toBe('       \n---\nkind: B\nimage: x\n---    \n        \n...\n       \n');
    expect(result.length).toBe(content.length);
  });

  it('returns the text itself when every document is kept, or when there is only one', () => {
    const both = 'image: a\n---\nimage: b\n';
    const single = 'kind: A\n';

    expect(blankDocuments(both, hasImage)).toBe(both);
    expect(blankDocuments(single, hasImage)).toBe(single);
  });

  it('splits only at markers that start a line and are followed by a space, tab, line break or the end', () => {
    const content = 'a: "x\n  --- y"\n----\nb: 1\n---\timage: z\n---';
    const seen: string[] = [];

    blankDocuments(content, (text) => {
      seen.push(text);
      return true;
    });

    expect(seen).toEqual(['a: "x\n  --- y"\n----\nb: 1\n', '---\timage: z\n', '---']);
  });

  it('splits CRLF streams at their markers and blanks the carriage returns too', () => {
    const content = 'kind: A\r\n---\r\nimage: b\r\n';

    expect(blankDocuments(content, hasImage)).toBe('        \n---\r\nimage: b\r\n');
  });

  it('leaves a stream with directives whole: a directive belongs to the document after it', () => {
    const content = 'kind: A\n...\n%TAG !e! tag:example.com,2000:\n---\nimage: !e!x y\n';

    expect(blankDocuments(content, hasImage)).toBe(content);
  });
});
