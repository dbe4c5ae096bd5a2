/**
 * Runs `fn` over `items` with at most `jobs` in flight, keeping the input order in the result.
 * After the first failure no new item starts; the ones in flight are awaited, then the first
 * error is thrown, so nothing keeps writing to a registry after the caller has given up.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  jobs: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T);
      } catch (error: unknown) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}
