/**
 * The `.env` reader against compose-go's own dotenv test cases (godotenv_test.go, parser_test.go
 * of github.com/compose-spec/compose-go, rewritten here as data), plus what the scanner adds on
 * top: where each value's text is, and unknown (rather than empty) values for unset variables.
 */
import { describe, expect, it } from 'vitest';
import { parseDotenv, readComposeEnv } from '../../src/scan/compose/index.js';

/** The values a file gives, as compose would read them (unknown values as `?problem`). */
function values(content: string): Record<string, string> {
  const result = parseDotenv(content);
  if (result.error) throw new Error(`line ${result.error.line}: ${result.error.message}`);
  return Object.fromEntries(
    [...result.entries].map(([key, entry]) => [
      key,
      'value' in entry.value ? entry.value.value : `?${entry.value.problem}`,
    ]),
  );
}

describe('parseDotenv: compose-go parsing cases', () => {
  it.each([
    // unquoted values, blanks around the `=`
    ['FOO=bar', { FOO: 'bar' }],
    ['FOO =bar', { FOO: 'bar' }],
    ['FOO= bar', { FOO: 'bar' }],
    // quoted values, escaped quotes, quotes of the other kind inside
    ['FOO="bar"', { FOO: 'bar' }],
    ["FOO='bar'", { FOO: 'bar' }],
    ['FOO="escaped\\"bar"', { FOO: 'escaped"bar' }],
    [`FOO="'d'"`, { FOO: "'d'" }],
    // YAML-style keys, `=` and `:` inside values
    ['OPTION_A: 1', { OPTION_A: '1' }],
    ['OPTION_A: Foo=bar', { OPTION_A: 'Foo=bar' }],
    ['OPTION_A=1:B', { OPTION_A: '1:B' }],
    // export, only as a word of its own
    ['export OPTION_A=2', { OPTION_A: '2' }],
    ["export OPTION_B='\\n'", { OPTION_B: '\\n' }],
    ['export exportFoo=2', { exportFoo: '2' }],
    ['exportFOO=2', { exportFOO: '2' }],
    ['export_FOO =2', { export_FOO: '2' }],
    ['export.FOO= 2', { 'export.FOO': '2' }],
    ['export\tOPTION_A=2', { OPTION_A: '2' }],
    ['  export OPTION_A=2', { OPTION_A: '2' }],
    ['\texport OPTION_A=2', { OPTION_A: '2' }],
    // escapes in double quotes only
    ['FOO="bar\\nbaz"', { FOO: 'bar\nbaz' }],
    ['FOO.BAR=foobar', { 'FOO.BAR': 'foobar' }],
    ['FOO=foobar=', { FOO: 'foobar=' }],
    ['FOO=bar ', { FOO: 'bar' }],
    // comments: ` #` ends an unquoted value; `#` inside quotes is text
    ['FOO=bar # this is foo', { FOO: 'bar' }],
    ['FOO="bar#baz" # comment', { FOO: 'bar#baz' }],
    ["FOO='bar#baz' # comment", { FOO: 'bar#baz' }],
    ['FOO="bar#baz#bang" # comment', { FOO: 'bar#baz#bang' }],
    ['FOO="ba#r"', { FOO: 'ba#r' }],
    ["FOO='ba#r'", { FOO: 'ba#r' }],
    ['FOO=ba#r', { FOO: 'ba#r' }],
    // leading blanks, keys with brackets and non-ASCII letters (parser_test.go)
    [' KEY =value', { KEY: 'value' }],
    ['\tKEY=value', { KEY: 'value' }],
    ['a=b\na[1]=c\na.propertyKey=d', { a: 'b', 'a[1]': 'c', 'a.propertyKey': 'd' }],
    ['árvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép', { 'árvíztűrő-TÜKÖRFÚRÓGÉP': 'ÁRVÍZTŰRŐ-tükörfúrógép' }],
    // TestParse and the quoted.env fixture: multi-line quoted values, later keys still read
    ['ONE=1\nTWO=\'2\'\nTHREE = "3"', { ONE: '1', TWO: '2', THREE: '3' }],
    [
      'OPTION_J="first line\nsecond line\nthird line"\nOPTION_Z=last value',
      {
        OPTION_J: 'first line\nsecond line\nthird line',
        OPTION_Z: 'last value',
      },
    ],
    ['OPTION_H="\\n"\nOPTION_G=""\nOPTION_C=\'\'', { OPTION_H: '\n', OPTION_G: '', OPTION_C: '' }],
    // lines to ignore: blank lines, CRLF, comments
    ['\n\r\n\t\t \n# Comment\n\t # comment\nA=1\r\n', { A: '1' }],
    // a key alone on its line takes the shell's value, which a scan does not have
    ['INHERITED\nB=2', { B: '2' }],
    // a later line replaces an earlier one
    ['A=1\nA=2', { A: '2' }],
  ])('%j', (content, expected) => {
    expect(values(content)).toEqual(expected);
  });

  it.each([
    // TestExpanding
    ['FOO=test\nBAR=$FOO', { FOO: 'test', BAR: 'test' }],
    ['FOO=test\nBAR=${FOO}bar', { FOO: 'test', BAR: 'testbar' }],
    ['FOO=test\nBAR="quote $FOO"', { FOO: 'test', BAR: 'quote test' }],
    ["BAR='quote $FOO'", { BAR: 'quote $FOO' }],
    ['FOO="foo\\$BAR"', { FOO: 'foo$BAR' }],
    ['FOO="foo\\${BAR}"', { FOO: 'foo${BAR}' }],
    ['FOO=test\nBAR="foo\\${FOO} ${FOO}"', { FOO: 'test', BAR: 'foo${FOO} test' }],
    // substitutions.env
    [
      'OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}${OPTION_B}',
      {
        OPTION_A: '1',
        OPTION_B: '1',
        OPTION_C: '1',
        OPTION_D: '11',
      },
    ],
    ['A=${UNSET:-fallback}', { A: 'fallback' }],
    // compose expands an unset variable to "" with a warning; a scan cannot know the shell, so the value is unknown
    ['BAR=$FOO', { BAR: '?needs variable FOO, which is not set here' }],
  ])('expands %j', (content, expected) => {
    expect(values(content)).toEqual(expected);
  });

  it.each([
    ['%!(EXTRA string)=foo', 1, 'unexpected character "%" in a variable name'],
    ['A=1\nlol$wut', 2, 'unexpected character "$" in a variable name'],
    ['KEY="value', 1, 'unterminated quoted value'],
    ['A=1\n\nKEY NAME=x', 3, 'a key cannot contain a space'],
  ])('refuses %j as compose does (line %i)', (content, line, message) => {
    expect(parseDotenv(content).error).toEqual({ line, message });
  });

  it('never quotes a value in an error (a .env holds secrets)', () => {
    const result = parseDotenv('PASSWORD="hunter2\nNEXT=1');

    expect(result.error).toEqual({ line: 1, message: 'unterminated quoted value' });
  });

  it('keeps 1,000 keys in one pass (TestMemoryExplosion)', () => {
    const content = Array.from({ length: 1000 }, (_, i) => `KEY${i}=VALUE${i}`).join('\n');

    expect(Object.keys(values(content))).toHaveLength(1000);
  });
});

describe('parseDotenv: where values are', () => {
  it('records the exact text of literal values, inside quotes, and the line of the key', () => {
    const content = 'A=nginx:1.27\nexport B="redis:7"  # cache\nC=\'x y\'\nD=${A}\nE="a\\tb"\n';

    const { entries } = parseDotenv(content);

    expect(Object.fromEntries(entries)).toEqual({
      A: {
        value: { value: 'nginx:1.27' },
        line: 1,
        literal: { start: 2, end: 12 },
        text: { start: 2, end: 12 },
      },
      B: {
        value: { value: 'redis:7' },
        line: 2,
        literal: { start: 23, end: 30 },
        text: { start: 23, end: 30 },
      },
      C: { value: { value: 'x y' }, line: 3, literal: { start: 44, end: 47 }, text: { start: 44, end: 47 } },
      D: { value: { value: 'nginx:1.27' }, line: 4, text: { start: 51, end: 55 } },
      E: { value: { value: 'a\tb' }, line: 5, text: { start: 59, end: 63 } },
    });
    expect(content.slice(2, 12)).toBe('nginx:1.27');
    expect(content.slice(23, 30)).toBe('redis:7');
  });

  it('counts offsets in the text as given when a byte-order mark starts it', () => {
    const { entries } = parseDotenv('\ufeffA=b\n');

    expect(entries.get('A')).toEqual({
      value: { value: 'b' },
      line: 1,
      literal: { start: 3, end: 4 },
      text: { start: 3, end: 4 },
    });
  });

  it('bounds one value that repeats a variable many times while it grows', () => {
    // Unbounded, B would expand to 1.2 GB and end in RangeError: Invalid string length.
    const content = `A=${'x'.repeat(4000)}\nB=${'${A}'.repeat(300_000)}\n`;

    expect(parseDotenv(content).entries.get('B')?.value).toEqual({
      problem: 'the value expands to more than 4096 characters',
    });
  });

  it('counts the text after the last variable too', () => {
    const content = `A=${'x'.repeat(4000)}\nC=\${A}${'y'.repeat(200)}\n`;

    expect(parseDotenv(content).entries.get('C')?.value).toEqual({
      problem: 'the value expands to more than 4096 characters',
    });
  });

  it('bounds values that expand other values (doubling chains become unknown)', () => {
    let content = 'A0=xy\n';
    for (let i = 1; i <= 30; i++) content += `A${i}=\${A${i - 1}}\${A${i - 1}}\n`;

    const result = parseDotenv(content);

    expect(result.entries.get('A11')?.value).toEqual({ value: 'xy'.repeat(2048) });
    expect(result.entries.get('A12')?.value).toEqual({
      problem: 'the value expands to more than 4096 characters',
    });
    expect(result.entries.get('A30')?.value).toEqual({
      problem: 'the value expands to more than 4096 characters',
    });
  });
});

describe('readComposeEnv: several env files (--env-file)', () => {
  it('lets a later file override an earlier one; a later value sees the earlier files first', () => {
    const env = readComposeEnv([
      { file: '.env', content: 'TAG=1\nIMAGE=app\n' },
      { file: '.env.override', content: 'TAG=2\nREF=${IMAGE}:${TAG}\n' },
    ]);

    expect(env.lookup('TAG')).toEqual({ value: '2' });
    // compose-go asks the earlier files before this file's own lines.
    expect(env.lookup('REF')).toEqual({ value: 'app:1' });
    expect(env.source('TAG')?.env.file).toBe('.env.override');
    expect(env.source('IMAGE')?.env.file).toBe('.env');
  });

  it('resolves nothing once compose would refuse a file', () => {
    const env = readComposeEnv([{ file: 'stack/.env', content: 'A=1\nbad key=2\n' }]);

    expect(env.error).toEqual({ file: 'stack/.env', line: 2, message: 'a key cannot contain a space' });
    expect(env.lookup('A')).toEqual({
      problem: 'compose cannot read stack/.env (line 2: a key cannot contain a space)',
    });
  });
});
