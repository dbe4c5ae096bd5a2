import { describe, expect, it } from 'vitest';
import { parseRepository } from '../../src/registry/names.js';
import { createSharedBlobs } from '../../src/registry/shared-blobs.js';

const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('createSharedBlobs', () => {
  it('names the repository holding a blob once its transfer succeeds', async () => {
    const shared = createSharedBlobs();

    shared.claim('reg.example', DIGEST, parseRepository('mirror/a'), Promise.resolve());

    expect([await shared.find('reg.example', DIGEST), shared.find('other.example', DIGEST)]).toEqual([
      'mirror/a',
      undefined,
    ]);
  });

  it('forgets a failed transfer, so a later copy sends the blob itself', async () => {
    const shared = createSharedBlobs();
    shared.claim('reg.example', DIGEST, parseRepository('mirror/a'), Promise.reject(new Error('PUT failed')));

    const waited = await shared.find('reg.example', DIGEST)?.then(
      () => 'resolved',
      (err: unknown) => (err as Error).message,
    );

    expect([waited, shared.find('reg.example', DIGEST)]).toEqual(['PUT failed', undefined]);
  });
});
