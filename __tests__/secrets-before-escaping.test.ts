/**
 * Issue 7, rule 2: a secret is masked before any text holding it is escaped or cut. Escaping
 * (`_` → `\_`, `&` → `&amp;`) or cutting changes its characters, after which the mask applied at
 * output no longer matches. The password below has the characters markdown escaping changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { codeSpan, inertText } from '../src/github/markdown.js';
import { parseDigest } from '../src/reference/digest.js';
import { quoted } from '../src/registry/names.js';
import { processSecrets, registerCredential } from '../src/secrets.js';
import { printable } from '../src/text/escape.js';
import { quoteText } from '../src/util/quote.js';

const password = 'Tr0ub4dor_#&3|@x';
const basic = Buffer.from(`ci-bot:${password}`).toString('base64');

beforeAll(() => registerCredential((v) => processSecrets.add(v), { username: 'ci-bot', password }));

/** Every 6-character piece of the secret's forms: none may survive in output. */
function leaks(text: string): string[] {
  const pieces = [password, basic].flatMap((s) =>
    [...s].map((_, i) => s.slice(i, i + 6)).filter((p) => p.length === 6),
  );
  return pieces.filter((p) => text.includes(p));
}

describe('secrets are masked before escaping and cutting', () => {
  it('in markdown: inert text and code spans (comment, summary, review bodies)', () => {
    const echoed = `registry said: bad platform ${password} (Authorization: Basic ${basic})`;

    expect(leaks(inertText(echoed))).toEqual([]);
    expect(leaks(codeSpan(echoed, { table: true }))).toEqual([]);
    expect(inertText(echoed)).toContain('\\*\\*\\*');
  });

  it('in quoted values cut to a length (names, digests, messages)', () => {
    // A long prefix pushes the secret across the cut, leaving a piece no mask would match.
    const value = `${'x'.repeat(64)}${basic}`;
    let digestError = '';
    try {
      parseDigest(`sha256:${'x'.repeat(60)}${basic}`, 'a test digest');
    } catch (err: unknown) {
      digestError = (err as Error).message;
    }

    expect(leaks(quoted(value))).toEqual([]);
    expect(leaks(printable(value, 80))).toEqual([]);
    expect(leaks(quoteText(value, 80))).toEqual([]);
    expect([digestError !== '', leaks(digestError)]).toEqual([true, []]);
  });
});
