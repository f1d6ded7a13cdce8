// `eventlake run` on a data dir opened read-only refuses at once with DATA_DIR_NOT_WRITABLE, naming the fix, rather
// than sit idle (every catch-up there answers "nothing to do": the dispatcher is a writer).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { runCli, type CliRun } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('run on a data dir opened read-only');

/** `eventlake ...argv`; past `ms` a SIGINT stops it (what a user's Ctrl-C does), and the answer says it had to. */
async function runWithin(argv: string[], ms: number): Promise<CliRun & { stopped: boolean }> {
  let stopped = false;
  const timer = setTimeout(() => { stopped = true; process.emit('SIGINT'); }, ms);
  try {
    return { ...await runCli(argv), stopped };
  } finally {
    clearTimeout(timer);
  }
}

test('run --read-only refuses at once with DATA_DIR_NOT_WRITABLE, exit 1, writing nothing', async () => {
  const dir = await emittedDataDir([SAMPLES.cash_deposit!]);
  const before = snapshotOf(dir);
  const r = await runWithin(['--data-dir', dir, '--read-only', 'run', '--compact-every', '0'], 3_000);
  assert.not.ok(r.stopped, 'run sat idle until stopped');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `eventlake: DATA_DIR_NOT_WRITABLE: dispatching events (eventlake run) on ${dir} failed: ${dir} cannot be written (READ_ONLY: it was opened read-only)`);
  assert.not.match(r.stderr, 'eventlake: dispatching from');
  assert.equal(snapshotOf(dir), before);
});

test.run();
