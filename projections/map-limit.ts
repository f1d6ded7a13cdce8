// Bounded concurrency: a list of async calls with at most `limit` in flight (the S3 adapters, the DynamoDB index, the log-against-index check).

/**
 * `fn` over `items` with at most `limit` calls in flight; results in input order.
 * The first rejection is thrown once the calls already started have settled, so none is left running unobserved.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  async function lane(): Promise<void> {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw failure.error;
  return results;
}
