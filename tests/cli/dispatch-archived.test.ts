// A data dir whose undispatched events are a hot day then two archived days, in log order (an archive run moved the
// old hours before dispatch reached them): a read dispatches the hot events and stops at once on the first archived
// object with EVENT_ARCHIVED, not after seconds of retries with TRANSIENT; status shows the wait there; after the
// restore the next read dispatches the rest, each event once.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync } from 'node:fs';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;
const HOT = generateEvents({ accounts: 4, days: 1, eventsPerDay: 12, start: START + 30 * DAY, seed: 8 });
const OLD = generateEvents({ accounts: 4, days: 2, eventsPerDay: 24, start: START, seed: 7 });

/** `events` emitted into a new data dir, which is returned closed. */
async function lakeOf(events: typeof HOT): Promise<string> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    await local.lake.emit(events);
  } finally {
    await local.close();
  }
  return dataDir;
}

/**
 * HOT then OLD indexed, not dispatched (as another process's emits are before a catch-up here), then OLD's hours
 * archived by an archive run.
 */
async function buildHotThenArchived(): Promise<{ dataDir: string; firstArchivedKey: string }> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  try {
    for (const events of [HOT, OLD]) {
      await local.log.append(events);
      await local.catchUpIndex!();
    }
    await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 20 * DAY) * 1000 });
    return { dataDir, firstArchivedKey: (await local.index.afterPosition(HOT.length, 1)).entries[0]!.location.key };
  } finally {
    await local.close();
  }
}

let template: ReturnType<typeof buildHotThenArchived> | undefined;

/** A fresh copy of the hot-then-archived data dir (the archive run is what takes time: it is done once). */
async function hotThenArchived(): Promise<{ dataDir: string; firstArchivedKey: string }> {
  template ??= buildHotThenArchived();
  const { dataDir: from, firstArchivedKey } = await template;
  const dataDir = tempDir();
  cpSync(from, dataDir, { recursive: true });
  return { dataDir, firstArchivedKey };
}

interface Status {
  dispatchedPosition: number;
  undispatchedEvents: number;
  dispatchWaiting?: { key: string; position: number };
}

const status = async (dataDir: string) => JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Status;

const test = suite('a read while dispatch meets an archived object');

test('the read fails with EVENT_ARCHIVED naming the object and its restore, spelled with --data-dir, not TRANSIENT', async () => {
  const { dataDir, firstArchivedKey } = await hotThenArchived();
  const r = await runCli(['--data-dir', dataDir, 'balance']);
  assert.is(r.code, 1);
  assert.match(r.stderr, `EVENT_ARCHIVED: object ${firstArchivedKey} is in GLACIER: restore it first (eventlake --data-dir ${dataDir} restore --keys ${firstArchivedKey})`);
  assert.not.match(r.stderr, 'TRANSIENT');
});

test('the hot events indexed before the archived object are dispatched; status shows the wait at the archived one', async () => {
  const { dataDir, firstArchivedKey } = await hotThenArchived();
  await runCli(['--data-dir', dataDir, 'balance']);
  const s = await status(dataDir);
  assert.equal([s.dispatchedPosition, s.undispatchedEvents], [HOT.length, OLD.length]);
  assert.equal([s.dispatchWaiting?.key, s.dispatchWaiting?.position], [firstArchivedKey, HOT.length + 1]);
});

test('after the restore the next read dispatches the rest: balances equal those of a lake never archived', async () => {
  const { dataDir } = await hotThenArchived();
  await runCli(['--data-dir', dataDir, 'balance']);
  const restore = await runCli(['--data-dir', dataDir, 'restore', 'request', '--since', '2024-01-01', '--until', '2024-01-03', '--tier', 'Expedited', '--wait']);
  assert.is(restore.code, 0, restore.stderr);
  const balances = await runCli(['--data-dir', dataDir, 'balance', '--json']);
  assert.is(balances.code, 0, balances.stderr);
  const never = await runCli(['--data-dir', await lakeOf([...HOT, ...OLD]), 'balance', '--json']);
  assert.is(balances.stdout, never.stdout);
  assert.equal((await status(dataDir)).undispatchedEvents, 0);
});

test.run();
