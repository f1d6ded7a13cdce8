// Independent slow cases (a child process each, or work that waits on DuckDB's threads) started ahead of their tests,
// a few at a time, so one case's child runs while this process checks another's outcome: the file's wall time drops
// toward its CPU time. Each test still awaits only its own case, so a failure is reported by the test whose case failed.

/**
 * Starts `jobs` at most `width` at a time, in order, and returns one promise per job. The promises are marked handled
 * at once: a case that fails before its test awaits it must fail that test, not crash the file as an unhandled
 * rejection.
 *
 * @example
 * const results = runAhead(POINTS.map((p) => () => killAndRestart(p)), 2);
 * POINTS.forEach((p, i) => test(`killed ${p.name}`, async () => assert.equal((await results[i]).problems, [])));
 */
export function runAhead<T>(jobs: readonly (() => Promise<T>)[], width: number): Promise<T>[] {
  const starts = jobs.map(() => {
    let resolve!: () => void;
    return { promise: new Promise<void>((done) => (resolve = done)), resolve: () => resolve() };
  });
  let next = 0;
  const startNext = () => starts[next++]?.resolve();
  // Whenever a job settles, whichever way, the first job not yet started starts.
  const results = jobs.map((job, i) => starts[i]!.promise.then(job).finally(startNext));
  for (const r of results) r.catch(() => undefined);
  for (let i = 0; i < width; i++) startNext();
  return results;
}

/**
 * Width for `runAhead`: 2, since the suite already runs a file per core plus one (EVENTLAKE_TEST_LANES overrides;
 * 1 runs every case after the one before, as the files did before).
 */
export function lanes(env: NodeJS.ProcessEnv = process.env): number {
  const explicit = Number(env['EVENTLAKE_TEST_LANES']);
  return Number.isSafeInteger(explicit) && explicit > 0 ? explicit : 2;
}

/** A function whose first call runs `make` and whose later calls get what it returned (the same promise, if one). */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** `fn` with its calls one after another: for in-process work that must not overlap (runCli captures stdout). */
export function serially<A extends unknown[], T>(fn: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const result = tail.then(() => fn(...args));
    tail = result.catch(() => undefined);
    return result;
  };
}

/**
 * Tests whose bodies run ahead (see `runAhead`): `ahead.test(name, body)` records a case, `ahead.run()` starts them
 * all and registers one test per case with `test`, in the order recorded. For files of independent slow cases only:
 * no body may depend on another's effects or on in-process state another changes.
 *
 * @example
 * const ahead = testsAhead(test);
 * ahead.test('emitting twice reports duplicates', async () => { ... });
 * ahead.run();
 * test.run();
 */
export function testsAhead(test: (name: string, fn: () => Promise<void>) => void, width = lanes()): {
  test: (name: string, body: () => Promise<unknown>) => void;
  run: () => void;
} {
  const cases: [string, () => Promise<unknown>][] = [];
  return {
    test: (name, body) => void cases.push([name, body]),
    run: () => {
      const results = runAhead(cases.map(([, body]) => body), width);
      cases.forEach(([name], i) => test(name, async () => void (await results[i])));
    },
  };
}
