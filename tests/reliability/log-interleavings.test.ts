// Two logs on one data dir (this thread's and a worker thread's, as two processes, each with its index, indexer and
// archive tier), random operations, and the other log acting from inside this one's operations: whatever the
// interleaving, no acknowledged event is lost, stored twice or moved from where it was acknowledged, duplicates
// answer the original location, refused appends write nothing, no unexpected error escapes, and the data dir checks
// whole.
//
// EVENTLAKE_FUZZ_RUNS=1500 runs more (≈ 3 minutes; the default 80 take about 5 seconds). A failure prints fast-check's
// seed and path and the shrunk commands: replay it with EVENTLAKE_FUZZ_SEED=<seed> EVENTLAKE_FUZZ_PATH=<path> (and the
// same EVENTLAKE_FUZZ_BULK). EVENTLAKE_FUZZ_BULK=1 adds appends of 5,001 events, past a checkpoint's page (slow).

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startLakeThread } from '../adapters/local/fixtures/lake-thread-client.ts';
import { scratchDir } from './scratch-dir.ts';
import { finalProblems } from './interleavings/final-checks.ts';
import { Injector } from './interleavings/injector.ts';
import { LogModel } from './interleavings/model.ts';
import { command, segmentBytes, type Command } from './interleavings/commands.ts';
import { LocalLake, Runner } from './interleavings/runner.ts';

const RUNS = Number(process.env.EVENTLAKE_FUZZ_RUNS ?? 80);
const SEED = process.env.EVENTLAKE_FUZZ_SEED === undefined ? undefined : Number(process.env.EVENTLAKE_FUZZ_SEED);
const PATH = process.env.EVENTLAKE_FUZZ_PATH;
const BULK = process.env.EVENTLAKE_FUZZ_BULK === '1';

const test = suite('log interleavings');
const other = startLakeThread();

/** Run `commands` on a fresh data dir; the problems found (the model's as it went, then the final checks). */
async function problemsOf(segmentBytes: number, commands: readonly Command[]): Promise<string[]> {
  // Small index pages interleave best; with bulk appends they would be hundreds of commits per catch-up. On tmpfs where
  // there is one (scratchDir): nothing here cuts power, so the disk's fsyncs would only make each run wait.
  const where = { dir: scratchDir(), segmentBytes, indexBatch: BULK ? 1_000 : 7 };
  const model = new LogModel();
  const injector = new Injector();
  injector.install();
  other.open(where);
  const runner = new Runner(await LocalLake.open(where, injector), other, model, injector, where);
  try {
    for (const c of commands) await runner.run(c);
  } finally {
    injector.uninstall();
    other.close();
    await runner.local.close();
  }
  const lake = await LocalLake.open(where, injector);
  try {
    await lake.lake.indexer.catchUp();
    return [...model.problems, ...(await finalProblems(where.dir, model, lake))];
  } finally {
    await lake.close();
  }
}

test('any interleaving of appends, checkpoints, catch-ups, reopens, compactions and archiving keeps every stored event once', async () => {
  try {
    await fc.assert(fc.asyncProperty(segmentBytes, fc.array(command(BULK), { minLength: 1, maxLength: 30 }), async (bytes, commands) => {
      const problems = await problemsOf(bytes, commands);
      assert.equal(problems, [], problems.join('\n'));
    }), { numRuns: RUNS, includeErrorInReport: true, ...(SEED === undefined ? {} : { seed: SEED }), ...(PATH === undefined ? {} : { path: PATH }) });
  } finally {
    await other.end();
  }
});

test.run();
