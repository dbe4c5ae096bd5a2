import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/util/map-limit.js';

/** A promise the test settles by hand. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('createLimiter', () => {
  it('runs at most `jobs` functions at once and starts waiters in arrival order', async () => {
    const limit = createLimiter(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limit(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    const first = [...started];

    gates[1]!.resolve();
    await runs[1];
    // A newcomer arriving while the slot is handed over must queue behind waiter 2.
    const late = limit(async () => {
      started.push(9);
      return 9;
    });
    await new Promise((r) => setImmediate(r));
    const second = [...started];
    for (const gate of gates) gate.resolve();

    expect([first, second, await Promise.all([...runs, late])]).toEqual([
      [0, 1],
      [0, 1, 2],
      [0, 1, 2, 3, 9],
    ]);
  });

  it('frees the slot when a function fails', async () => {
    const limit = createLimiter(1);

    const failed = limit(() => Promise.reject(new Error('boom')));
    const next = limit(async () => 'ran');

    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
  });
});
