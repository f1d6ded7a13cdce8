// `eventlake balance ACCOUNT` / `statement ACCOUNT` for an account whose events dispatch has not delivered (a stall on
// a store it cannot write, or a read-only open, which dispatches nothing): they said "folded before their rule was
// loaded: rebuild", and a rebuild folds only what is dispatched. They now name the stall or the lag, as status does.

import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { STALL_RECORD_FILE } from '../../adapters/local/dispatch-stall-record.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { unmovedAccount } from '../../cli/balance-hint.ts';
import { StorageError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake balance: an account whose events are not dispatched yet');

const ACCOUNT = 'SMALL-0001';
const PAYMENT: DomainEvent = { ...SAMPLES['incoming_payment']!, TargetAccount: ACCOUNT };
const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const SCHEMAS = join(EXAMPLE, 'schemas');
const RENT = JSON.parse(readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').split('\n')[2]!) as DomainEvent;

/** A lake whose store refuses every apply as a read-only projections.db does: its dispatch stalls (and records it). */
const stallingLake = (dataDir: string): Promise<LocalEventlake> => openLocalEventlake({
  dataDir, schemaFolders: [SCHEMAS], onCatchUpError: () => undefined,
  decorate: decorateWith({ store: { method: 'apply', failFirst: 1_000_000, error: () => new StorageError('projections.db: attempt to write a readonly database') } }),
});

/** A data dir whose `events` are stored and indexed but stalled before any projection folded them; the stall is recorded. */
async function stalledDataDir(events: readonly DomainEvent[] = [PAYMENT]): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await stallingLake(dataDir);
  try {
    await local.lake.emit(events);
  } finally {
    await local.close();
  }
  return dataDir;
}

const readOnly = (dataDir: string, ...args: string[]) => runCli(['--data-dir', dataDir, '--read-only', ...args]);

test('balance of an account behind a recorded stall names the stall, its error and status, and no rebuild', async () => {
  const dataDir = await stalledDataDir();
  const r = await readOnly(dataDir, 'balance', ACCOUNT);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `but 1 event naming it is not dispatched yet: dispatch is STALLED at position 0 (STORAGE_FAILED: projections.db: attempt to write a readonly database); ` +
    `once that is fixed the next catch-up (\`eventlake --data-dir ${dataDir} run\`, or any emit or read) dispatches it; \`eventlake --data-dir ${dataDir} status\` shows it\n`);
  assert.not.match(r.stderr, 'rebuild');
});

test('statement of that account says the same, and no rebuild', async () => {
  const r = await readOnly(await stalledDataDir(), 'statement', ACCOUNT);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'in projection statement: the index has 1 event naming it (1 incoming_payment), but 1 event naming it is not dispatched yet: dispatch is STALLED at position 0');
  assert.not.match(r.stderr, 'rebuild');
});

test('events simply not dispatched yet (no stall) are named so in a read-only open, with run and status, and no rebuild', async () => {
  const dataDir = await stalledDataDir();
  rmSync(join(dataDir, STALL_RECORD_FILE));
  const r = await readOnly(dataDir, 'balance', ACCOUNT);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `but 1 event naming it is not dispatched yet (dispatch is at position 0) and a read-only open dispatches nothing: a catch-up where the data dir can be written ` +
    `(\`eventlake --data-dir ${dataDir} run\`, or any emit or read) dispatches it; \`eventlake --data-dir ${dataDir} status\` shows it\n`);
  assert.not.match(r.stderr, 'rebuild');
});

test('a process whose own dispatch stalled names its stall for the account, not a rebuild', async () => {
  const local = await stallingLake(join(tempDir(), 'lake'));
  try {
    await local.lake.emit([PAYMENT]);
    assert.is(await local.lake.balance(ACCOUNT), undefined);
    const why = (await unmovedAccount(local, ACCOUNT))?.message ?? '';
    assert.match(why, 'but 1 event naming it is not dispatched yet: dispatch is STALLED at position 0 (STORAGE_FAILED: ');
    assert.not.match(why, 'rebuild');
  } finally {
    await local.close();
  }
});

test('undispatched events with no stall in a writable open are a lag that run or any read catches up, not a rebuild', async () => {
  const local = await stallingLake(join(tempDir(), 'lake'));
  try {
    await local.lake.emit([PAYMENT]);
    // As after a catch-up another process's lock cut short: events past the checkpoint, nothing stalled.
    const why = (await unmovedAccount({ ...local, dispatchStall: () => undefined }, ACCOUNT))?.message ?? '';
    assert.match(why, "but 1 event naming it is not dispatched yet (dispatch is at position 0): `eventlake run` or any emit or read catches up; `eventlake status` shows it");
    assert.not.match(why, 'rebuild');
  } finally {
    await local.close();
  }
});

test('beside events that wait, events folded before their rule was loaded are still told to rebuild', async () => {
  // The rent (outgoing_payment, no rule without the extensions) is dispatched and skipped; the payment waits behind the stall.
  const dataDir = join(tempDir(), 'lake');
  const plain = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS] });
  await plain.lake.emit([RENT]).finally(() => plain.close());
  const stalled = await stallingLake(dataDir);
  await stalled.lake.emit([{ ...PAYMENT, TargetAccount: String(RENT['SourceAccount']) }]).finally(() => stalled.close());
  const r = await readOnly(dataDir, '--schemas', SCHEMAS, '--extensions', join(EXAMPLE, 'eventlake.extensions.ts'), 'balance', String(RENT['SourceAccount']));
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'but 1 event naming it is not dispatched yet: dispatch is STALLED at position 1 (STORAGE_FAILED: ');
  assert.match(r.stderr, '; balances folded its outgoing_payment events before their rule was loaded (the rule moves it): rebuild balances');
});

test.run();
