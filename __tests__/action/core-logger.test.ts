/**
 * The action's logger as the runner reads it (raw stdout): outside text cannot start a workflow
 * command on any level, and every form of a secret is masked by us and registered with the runner.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoreLogger } from '../../src/action/core-logger.js';
import { createRedactor } from '../../src/secrets.js';

let written: string[];
beforeEach(() => {
  written = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The lines the runner reads: it splits at CR and LF. */
const lines = () =>
  written
    .join('')
    .split(/\r\n|\r|\n/)
    .filter((line) => line !== '');

/** The runner's two command forms: `::` after leading whitespace, or `##[` anywhere. */
const commandOf = (line: string) =>
  line.trimStart().startsWith('::') ? line.trimStart() : line.includes('##[') ? line : undefined;

const HOSTILE = 'sha256:ab\n::error title=x::y\r::stop-commands::tok\n  ::add-mask::x ##[set-output name=a]b';

describe('createCoreLogger', () => {
  it('lets no outside text start a workflow command, on any level', async () => {
    const logger = createCoreLogger(createRedactor());

    logger.info(HOSTILE);
    logger.info('::stop-commands::tok');
    logger.warning(HOSTILE);
    logger.debug(HOSTILE);
    await logger.group(HOSTILE, async () => {});

    const commands = lines()
      .map(commandOf)
      .filter((c) => c !== undefined);
    expect(commands.map((c) => c.split('::')[1])).toEqual(['warning', 'debug', 'group', 'endgroup']);
    expect(lines()[0]).toBe(
      'sha256:ab%0A::error title=x::y%0D::stop-commands::tok%0A  ::add-mask::x ##%5Bset-output name=a]b',
    );
    expect(lines()[1]).toBe('%3A:stop-commands::tok');
  });

  it('registers every form of a secret with the runner and masks them itself', () => {
    const logger = createCoreLogger(createRedactor());
    const basic = Buffer.from('bot:pa55word').toString('base64');

    logger.secret('bot:pa55word');
    logger.secret('pa55word');
    written = [];
    logger.info(`Basic ${basic} bot:pa55word pa55word`);
    logger.warning(`bad pa55word`);

    expect(lines()).toEqual(['Basic *** *** ***', '::warning::bad ***']);
  });

  it('tells the runner each form it does not already mask as part of another', () => {
    const logger = createCoreLogger(createRedactor());

    logger.secret('pa55word');
    logger.secret('bot:pa55word');

    // `cGE1NXdvcmQ=` and `bot:pa55word` hold a form told before; base64 `bot:pa55word` does not.
    expect(lines()).toEqual([
      '::add-mask::pa55word',
      '::add-mask::cGE1NXdvcmQ',
      '::add-mask::Ym90OnBhNTV3b3Jk',
    ]);
  });
});
