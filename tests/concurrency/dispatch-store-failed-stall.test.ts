// A projection store failing whatever the event (STORAGE_FAILED: a read-only or damaged projections.db, EACCES) stalls
// dispatch like a full disk: one attempt, a recorded stall that `status` shows with the fix, cleared by the next drain
// that does not stall. Before this fix the tail retried it eight times and failed with TRANSIENT, and status showed no stall.
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DispatchStallRecord } from '../../adapters/local/dispatch-stall-record.ts';
import { LocalDispatcher } from '../../adapters/local/local-dispatcher.ts';
import { StorageError } from '../../domain/errors.ts';
import type { DeadLetter, DeadLetterStore } from '../../domain/ports/dead-letter-store.ts';
import { DispatchTail } from '../../projections/dispatch-tail.ts';
import { dispatchStalled } from '../../projections/status-dispatch.ts';
import { arrayLog, numberedDeposit } from '../support/fakes/array-log.ts';
import { memoryCheckpoints } from '../support/fakes/memory-checkpoints.ts';
import { tempDir } from '../support/tmp.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES } from '../support/samples.ts';

const readOnly = () => new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY');

/** A tail over three events into a dispatcher whose one projection's store is read-only while `broken`. */
function lakeWithReadOnlyStore() {
  const { index, log } = arrayLog([1, 2, 3].map(numberedDeposit));
  const { checkpoints } = memoryCheckpoints();
  const letters: DeadLetter[] = [];
  const deadLetters = { add: async (l: DeadLetter) => void letters.push(l), list: async () => letters, remove: async () => undefined } as unknown as DeadLetterStore;
  const state = { broken: true, applies: 0, now: 1_000_000 };
  const dispatcher = new LocalDispatcher({
    rules: [{ rule: { name: 'balances-projector', pattern: { source: ['eventlake'] }, target: 'balances' }, handler: async () => { state.applies++; if (state.broken) throw readOnly(); return []; } }],
    deadLetters, sleep: async () => undefined,
  });
  const tail = new DispatchTail({ index, log, dispatcher, checkpoints, sleep: async () => undefined, now: () => state.now });
  return { tail, state, letters };
}

const test = suite('dispatch to a projection store failing whatever the event');

test('a store failure stalls the drain at its first attempt with the STORAGE_FAILED error, dead-lettering nothing', async () => {
  const { tail, state, letters } = lakeWithReadOnlyStore();
  const report = await tail.drain();
  assert.instance(report.stalled, StorageError);
  assert.is(report.position, 0);
  assert.is(state.applies, 1);
  assert.equal(letters, []);
  assert.is(tail.stall?.error, report.stalled);
});

test('status shows the stall as STORAGE_FAILED with the fix, and no longer once a drain does not stall', async () => {
  const { tail, state } = lakeWithReadOnlyStore();
  await tail.drain();
  const stalled = dispatchStalled({ dispatchStall: () => tail.stall }, 3);
  assert.is(stalled?.code, 'STORAGE_FAILED');
  assert.match(stalled!.message, 'Give the user eventlake runs as read and write access');
  state.broken = false;
  state.now += 60_000;
  assert.is((await tail.drain()).published, 3);
  assert.is(tail.stall, undefined);
});

test('another process reads the recorded STORAGE_FAILED stall from the data dir', async () => {
  const { tail } = lakeWithReadOnlyStore();
  await tail.drain();
  const dataDir = tempDir();
  const writer = DispatchStallRecord.open(dataDir);
  const reader = DispatchStallRecord.open(dataDir);
  try {
    writer.follow(tail.stall);
    const read = reader.read();
    assert.instance(read?.error, StorageError);
    assert.is(read!.error.message, tail.stall!.error.message);
    assert.is(dispatchStalled({ dispatchStall: () => read }, 3)?.code, 'STORAGE_FAILED');
  } finally {
    writer.close();
    reader.close();
  }
});

test('eventlake status, another process, shows dispatch STALLED with STORAGE_FAILED and the fix', async () => {
  const dataDir = tempDir();
  const local = await openLocalEventlake({
    dataDir,
    decorate: decorateWith({ store: { method: 'apply', failFirst: 1_000, error: readOnly } }),
    onCatchUpError: () => undefined,
  });
  try {
    await local.lake.emit(SAMPLES['cash_deposit']!);
    const r = await runCli(['--data-dir', dataDir, 'status']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /dispatch: +STALLED at position 0, 1 behind, since .* \(recorded by pid \d+ on .*, still running/);
    assert.match(r.stdout, /STORAGE_FAILED: applying 1 event\(s\) to projection (balances|statement) failed: SQLITE_READONLY .* Give the user eventlake runs as read and write access/);
  } finally {
    await local.close();
  }
});

test.run();
