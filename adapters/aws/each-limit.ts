// Bounded concurrency over a stream: each item of an async iterable handled with at most `limit` calls in flight,
// the next item pulled only when a call is free (mapLimit takes a whole array, which a stream must not become).

/**
 * `fn` on each item of `items`, at most `limit` calls at once; an item is pulled from `items` only when a call is
 * free, so no more than `limit` items are held beside what the iterable itself holds. The first failure (of `fn` or
 * of the iterable) is thrown once the calls already started have settled, and the iterable is closed.
 *
 * @example
 * await eachLimit(objectsByHour(walk, hours), 4, (o) => repairObject(o));
 */
export async function eachLimit<T>(items: AsyncIterable<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const source = items[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  // Lanes may ask for the next item together: an async generator queues its next() calls, one item each.
  async function lane(): Promise<void> {
    while (!failure) {
      try {
        const next = await source.next();
        if (next.done) return;
        await fn(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, limit) }, lane));
  if (failure) {
    // The first failure is the one to report: one in closing the iterable is dropped.
    await Promise.resolve(source.return?.(undefined)).catch(() => undefined);
    throw failure.error;
  }
}
