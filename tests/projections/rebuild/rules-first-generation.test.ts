// The rules a local lake's first generations were built with: no rebuild fills generation 1, dispatch does, so the
// process that folds the lake's first events records its rules for it, once. A lake that already folded events
// without a record stays unknown, and a record is never overwritten by a process running other rules.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { BalanceRule } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { generateEvents } from '../../../domain/generator.ts';
import { parseAmount } from '../../../domain/money.ts';
import { eventlakeStatus } from '../../../projections/status.ts';
import { LOCAL_START_S } from '../../support/fakes/local-scenario.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('rules of a first generation');

const doubledIncoming: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['TargetAccount']), delta: 2n * parseAmount(String(e['Amount'])) }] }) };
const events = generateEvents({ accounts: 5, days: 2, eventsPerDay: 10, start: LOCAL_START_S, seed: 3 });
const [firstDay, secondDay] = [events.slice(0, 10), events.slice(10)];

/** Opens `dataDir` (with the changed rule when asked), emits `batch` (if any), and returns each projection's rules match. */
async function emitAndMatch(dataDir: string, batch: readonly DomainEvent[], changed = false): Promise<Record<string, string>> {
  const local = await openLocalEventlake({ dataDir, ...(changed ? { balanceRules: { incoming_payment: doubledIncoming } } : {}) });
  try {
    if (batch.length > 0) await local.lake.emit(batch);
    await local.catchUp();
    const status = await eventlakeStatus(local);
    return Object.fromEntries(status.projections.map((p) => [p.name, p.rules.match]));
  } finally {
    await local.close();
  }
}

/** As a lake written before first generations recorded rules: its checkpoints hold none. */
const OLDER_LAKE = 'DELETE FROM checkpoints WHERE generation = 1';

function runSql(dataDir: string, file: string, sql: string): void {
  const db = new Database(join(dataDir, file));
  try {
    db.prepare(sql).run();
  } finally {
    db.close();
  }
}

test('the process that folds a new lake\'s first events records its rules for every first generation', async () => {
  const dataDir = tempDir();
  assert.equal(await emitAndMatch(dataDir, firstDay), { balances: 'same', statement: 'same' });
});

test('opening a new lake without folding anything records nothing: the process that folds first records its rules', async () => {
  const dataDir = tempDir();
  assert.equal(await emitAndMatch(dataDir, []), { balances: 'unknown', statement: 'unknown' });
  assert.equal(await emitAndMatch(dataDir, firstDay, true), { balances: 'same', statement: 'same' });
});

test('a record is never overwritten: a process running other rules sees the first generation as built with other rules', async () => {
  const dataDir = tempDir();
  await emitAndMatch(dataDir, firstDay);
  assert.is((await emitAndMatch(dataDir, secondDay, true))['balances'], 'other');
  assert.is((await emitAndMatch(dataDir, []))['balances'], 'same');
});

test('a first generation that folded events before rules were recorded stays unknown', async () => {
  const dataDir = tempDir();
  await emitAndMatch(dataDir, firstDay);
  runSql(dataDir, 'projections.db', OLDER_LAKE);
  assert.equal(await emitAndMatch(dataDir, secondDay), { balances: 'unknown', statement: 'unknown' });
});

test('a first generation that folded events is not recorded when dispatch starts over from 0 (as repair index leaves it)', async () => {
  const dataDir = tempDir();
  await emitAndMatch(dataDir, firstDay);
  runSql(dataDir, 'projections.db', OLDER_LAKE);
  runSql(dataDir, 'dispatch.db', "UPDATE checkpoints SET position = 0 WHERE name = 'dispatch'");
  assert.equal(await emitAndMatch(dataDir, []), { balances: 'unknown', statement: 'unknown' });
});

test.run();
