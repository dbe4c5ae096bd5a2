/**
 * Bounded concurrency, in one place for the whole code base: `mapLimit` for a list known up
 * front, `createLimiter` for work that arrives over time.
 */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the input order in the
 * result. After the first failure no new item starts; the calls in flight are awaited, then the
 * first error is thrown, so nothing keeps writing to a registry after the caller has given up.
 * Callers that want every outcome (one failed image must not stop the others) catch inside `fn`.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error: unknown) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/**
 * A limiter for work started at different times: at most `jobs` of the functions given to it run
 * at once, the rest wait in arrival order.
 */
export function createLimiter(jobs: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= jobs) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
