// Summary lines of the reliability and security suites: what a test file tried and how much of it failed.
// scripts/test.mjs forwards every stdout line that starts with `[summary]`, so the suite's output ends with them.

/** Named counts of one area, e.g. `{ tried: 12, survived: 12 }`. */
export type Counts = Readonly<Record<string, number>>;

/**
 * Collects counts while a file's tests run and prints one `[summary] <area>: k=v …` line per area at exit, so a
 * failed assertion still reports what was tried before it.
 *
 * @example
 * const tally = new Tally();
 * tally.add('kill points', { tried: 1, survived: 1 });
 */
export class Tally {
  private readonly areas = new Map<string, Map<string, number>>();

  constructor(print = true) {
    if (print) process.on('exit', () => this.print());
  }

  /** Add `counts` to `area`'s totals (a key seen for the first time starts at 0). */
  add(area: string, counts: Counts): void {
    const totals = this.areas.get(area) ?? new Map<string, number>();
    for (const [k, v] of Object.entries(counts)) totals.set(k, (totals.get(k) ?? 0) + v);
    this.areas.set(area, totals);
  }

  /** Current total of one count. */
  get(area: string, key: string): number {
    return this.areas.get(area)?.get(key) ?? 0;
  }

  /** The summary lines. */
  lines(): string[] {
    return [...this.areas].map(([area, totals]) => `[summary] ${area}: ${[...totals].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }

  print(): void {
    for (const line of this.lines()) process.stdout.write(`${line}\n`);
  }
}

/**
 * Property-test cases per fuzz target: EVENTLAKE_FUZZ_RUNS, else 500 in CI (CI=true), else 10,000.
 * The full run tries at least 10,000 cases per target; CI stays fast.
 */
export function fuzzRuns(env: NodeJS.ProcessEnv = process.env): number {
  const explicit = Number(env['EVENTLAKE_FUZZ_RUNS']);
  if (Number.isSafeInteger(explicit) && explicit > 0) return explicit;
  return env['CI'] === 'true' || env['CI'] === '1' ? 500 : 10_000;
}

/** True in CI (CI=true): tests pick their smaller workloads. */
export const inCI = (env: NodeJS.ProcessEnv = process.env): boolean => env['CI'] === 'true' || env['CI'] === '1';
