import { describe, expect, it } from 'vitest';
import { acquireSlots, createPace, type Slot } from '../../src/registry/pace.js';

/** Takes `n` slots that are granted at once (the pace has room for them). */
async function take(pace: ReturnType<typeof createPace>, n: number): Promise<Slot[]> {
  return Promise.all(Array.from({ length: n }, () => pace.acquire()));
}

describe('createPace', () => {
  it('grants up to the limit and queues the rest in arrival order', async () => {
    const pace = createPace({ initial: 2, max: 2 });
    const order: number[] = [];
    const slots = await take(pace, 2);
    const waiting = [0, 1].map(async (i) => {
      const slot = await pace.acquire();
      order.push(i);
      return slot;
    });
    await Promise.resolve();

    expect([pace.active, order]).toEqual([2, []]);
    slots[0]!.release(false);
    slots[1]!.release(false);
    await Promise.all(waiting);
    expect([pace.active, order]).toEqual([2, [0, 1]]);
  });

  it('grows by one per success while nothing pushed back (slow start), up to max', async () => {
    const pace = createPace({ initial: 2, max: 5 });

    for (const slot of await take(pace, 2)) slot.release(true);
    const afterOne = pace.limit;
    for (const slot of await take(pace, 4)) slot.release(true);

    expect([afterOne, pace.limit]).toEqual([4, 5]);
  });

  it('halves on push-back once per round: requests started before the cut do not cut again', async () => {
    const pace = createPace({ initial: 8, max: 8 });
    const before = pace.mark();

    pace.throttle(before);
    pace.throttle(before);
    const once = pace.limit;
    pace.throttle(pace.mark());

    expect([once, pace.limit]).toEqual([4, 2]);
  });

  it('never falls below min, and after a push-back grows by one per round of successes', async () => {
    const pace = createPace({ initial: 4, max: 8, min: 2 });
    pace.throttle(pace.mark());
    pace.throttle(pace.mark());
    const floor = pace.limit;

    // Limit 2: two successes make one round, and add one slot.
    for (const slot of await take(pace, 2)) slot.release(true);

    expect([floor, pace.limit]).toEqual([2, 3]);
  });

  it('lets in fewer transfers after a cut until enough have finished', async () => {
    const pace = createPace({ initial: 4, max: 4 });
    const running = await take(pace, 4);
    pace.throttle(pace.mark());
    let granted = 0;
    const next = pace.acquire().then((slot) => {
      granted++;
      return slot;
    });

    running[0]!.release(false);
    running[1]!.release(false);
    await Promise.resolve();
    const whileAtLimit = granted;
    running[2]!.release(false);
    await next;

    expect([pace.limit, whileAtLimit, granted, pace.active]).toEqual([2, 0, 1, 2]);
  });

  it('drops a waiter whose signal aborts, with the signal reason', async () => {
    const pace = createPace({ initial: 1, max: 1 });
    const [slot] = await take(pace, 1);
    const controller = new AbortController();
    const waiting = pace.acquire(controller.signal);

    controller.abort(new Error('deadline'));
    slot!.release(false);

    await expect(waiting).rejects.toThrow('deadline');
    expect(pace.active).toBe(0);
  });
});

describe('acquireSlots', () => {
  it('takes slots in key order, so two transfers with opposite roles cannot wait for each other', async () => {
    const a = createPace({ initial: 1, max: 1 });
    const b = createPace({ initial: 1, max: 1 });
    const both = async (paces: { key: string; pace: typeof a }[]) => {
      const held = await acquireSlots(paces);
      // Give the other transfer a turn while holding, as a real transfer would.
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const { slot } of held) slot.release(true);
      return held.map((h) => h.key).join(',');
    };
    // Bounded: taken in the order given, the two would wait for each other forever.
    const stuck = new Promise<string>((resolve) => setTimeout(() => resolve('deadlocked'), 2000).unref());

    const outcome = await Promise.race([
      Promise.all([
        both([
          { key: 'a', pace: a },
          { key: 'b', pace: b },
        ]),
        both([
          { key: 'b', pace: b },
          { key: 'a', pace: a },
        ]),
      ]).then((keys) => keys.join(' ')),
      stuck,
    ]);

    expect(outcome).toBe('a,b a,b');
  });
});
