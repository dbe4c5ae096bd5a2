import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/util/map-limit.js';

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (value) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, value));
      running--;
      return value * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('starts nothing after a failure, waits for the calls in flight, then throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];

    const result = mapLimit([1, 2, 3, 4, 5], 2, async (value, index) => {
      started.push(index);
      await new Promise((resolve) => setTimeout(resolve, value === 1 ? 1 : 20));
      if (value === 1) throw new Error('first');
      finished.push(index);
      return value;
    });

    await expect(result).rejects.toThrow('first');
    expect([started, finished]).toEqual([[0, 1], [1]]);
  });

  it('handles an empty list', async () => {
    expect(await mapLimit([], 3, async () => 1)).toEqual([]);
  });
});
