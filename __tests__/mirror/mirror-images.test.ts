/** mirrorImages: one outcome per job, in job order, and one log line per outcome in STYLE.md's words. */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { type CopiedImage, copyOutcome, mirrorImages } from '../../src/mirror/mirror-images.js';

const image = (blobs: CopiedImage['blobs']): CopiedImage => ({
  digest: `sha256:${'a'.repeat(64)}`,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  platforms: [],
  bytes: 0,
  blobs,
});

describe('copyOutcome', () => {
  it.each([
    [{ copied: 0, skipped: 3, mounted: 0 }, 'existing'],
    [{ copied: 0, skipped: 1, mounted: 2 }, 'mounted'],
    [{ copied: 1, skipped: 0, mounted: 2 }, 'pushed'],
  ] as const)('%j → %s', (blobs, expected) => {
    expect(copyOutcome(blobs)).toBe(expected);
  });
});

describe('mirrorImages', () => {
  it('logs existing, mounted, pushed or the failure, and keeps job order', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      group: (_name, fn) => fn(),
      info: (m) => lines.push(m),
      debug: () => {},
      warning: (m) => lines.push(`warning: ${m}`),
      secret: () => {},
      isDebug: false,
    };
    const results: Record<string, CopiedImage['blobs']> = {
      a: { copied: 0, skipped: 2, mounted: 0 },
      b: { copied: 0, skipped: 0, mounted: 2 },
      c: { copied: 2, skipped: 0, mounted: 0 },
    };
    const jobs = ['a', 'b', 'c', 'd'].map((name) => ({ source: name, destination: `m/${name}:1` }));

    const outcomes = await mirrorImages(
      jobs,
      async (source) => {
        const blobs = results[source];
        if (!blobs) throw new Error('not found');
        return image(blobs);
      },
      { logger, concurrency: 1 },
    );

    expect(outcomes.map((o) => o.status)).toEqual(['mirrored', 'mirrored', 'mirrored', 'failed']);
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(lines).toEqual([
      `existing m/a:1 (${digest})`,
      `mounted m/b:1 (${digest})`,
      `pushed m/c:1 (${digest})`,
      'warning: failed to mirror d: not found',
    ]);
  });
});
