// Local dispatch (openLocalEventlake, in process) checks the Changes a custom projection's rule returns before the
// SQLite store applies them. Before, a string delta was concatenated by the store's per-batch sum ('5' + '5' + '5'),
// so the balance depended on how events were batched; a float went into the INTEGER column and broke every later
// read; a bigint in a memo or row was dead-lettered as a bare TypeError. Now each such event is dead-lettered with
// ProjectionRuleError naming the field, nothing of it is applied, and every other event is, however they are batched.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { BalanceRule } from '../../domain/balances.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { Changes, Projection } from '../../domain/projection.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('checked Changes in local dispatch');

const BAD_TS = 1714000120;
const deposit = (ts: number): Record<string, unknown> => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: ts, TargetAccount: 'DE44-5001-0517', Amount: '10.00',
  LocationType: 'ATM', Currency: { '10-euro-bills': 1 }, Verified: false,
});
/** Four deposits; the third is the one the rule returns a bad shape for. */
const INPUT = [1714000000, 1714000060, BAD_TS, 1714000180].map(deposit);

/** A projection adding 5 to counter `c` per deposit, with a row and a memo each; `bad` its changes for the third one. */
function projection(bad: unknown): Projection {
  return {
    name: 'x', version: 1, handles: (e) => e.EventType === 'cash_deposit', related: () => [],
    decide: (e: DomainEvent): Changes => (e.EventTimeStamp === BAD_TS ? bad as Changes : {
      counters: [{ key: 'c', delta: 5n }], rows: [{ key: `r${e.EventTimeStamp}`, partition: 'p', value: { ts: e.EventTimeStamp } }], memo: { ts: e.EventTimeStamp },
    }),
  };
}

/** What dispatch left of INPUT, emitted in one call or one call per event: balances, rows, dead letters, the bad event's record. */
async function dispatched(bad: unknown, oneEmit: boolean) {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), projections: [projection(bad)], dispatch: { maxAttempts: 1 } });
  try {
    const ids = oneEmit ? (await local.lake.emit(INPUT)).map((r) => r.id) : await Promise.all(INPUT.map(async (e) => (await local.lake.emit(e))[0]!.id));
    const balances = Object.fromEntries(await local.lake.balances('x'));
    const generation = await local.store.liveGeneration('x');
    const rows = (await local.store.rows('x', generation, 'p')).map((r) => r.key).sort();
    const letters = (await local.deadLetters.list('x')).map((l) => ({ id: l.id, error: l.error }));
    const badRecord = await local.store.appliedRecord('x', generation, ids[2]!);
    return { balances, rows, letters, badRecord, badId: ids[2]! };
  } finally {
    await local.close();
  }
}

const SHAPES: readonly [string, unknown, string][] = [
  ['a string delta', { counters: [{ key: 'c', delta: '5' }] }, "counters[0].delta = '5' (a string): return a bigint: 150n, not 1.5 or '1.50'"],
  ['a float delta', { counters: [{ key: 'c', delta: 1.5 }] }, 'counters[0].delta = 1.5 (a number): return a bigint'],
  ['a number key', { counters: [{ key: 7, delta: 5n }] }, 'counters[0].key = 7 (a number): return a non-empty string'],
  ['an undefined key', { counters: [{ key: undefined, delta: 5n }] }, 'counters[0].key = undefined'],
  ['a bigint in the memo', { counters: [{ key: 'c', delta: 5n }], memo: { n: 1n } }, 'memo.n = 1n (a bigint)'],
  ['a bigint in a row value', { counters: [{ key: 'c', delta: 5n }], rows: [{ key: 'bad', partition: 'p', value: { n: 1n } }] }, 'rows[0].value.n = 1n (a bigint)'],
];

for (const [what, bad, words] of SHAPES) {
  test(`${what} is dead-lettered as PROJECTION_RULE_FAILED naming the field; every other event applied, in one emit or separate ones`, async () => {
    for (const oneEmit of [true, false]) {
      const out = await dispatched(bad, oneEmit);
      const how = oneEmit ? 'one emit' : 'separate emits';
      assert.equal(out.balances, { c: '0.15' }, `${how}: three good deposits of 5 cents, none of the bad one`);
      assert.equal(out.rows, ['r1714000000', 'r1714000060', 'r1714000180'], how);
      assert.is(out.badRecord, undefined, `${how}: nothing of the bad event applied`);
      assert.is(out.letters.length, 1, how);
      assert.is(out.letters[0]!.id, out.badId);
      assert.match(out.letters[0]!.error, `PROJECTION_RULE_FAILED: projection x: its rule for cash_deposit threw on event ${out.badId}: TypeError: decide returned ${words}`);
    }
  });
}

const SCHEMAS = resolve(fileURLToPath(new URL('../../examples/outgoing-payment/schemas', import.meta.url)));
const payment = (ts: number, amount: string): Record<string, unknown> => ({
  EventType: 'outgoing_payment', SchemaVersion: 1, EventTimeStamp: ts, SourceAccount: 'DE44-5001-0517', Amount: amount,
  TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent',
});

test('a balance rule\'s float delta is dead-lettered as PROJECTION_RULE_FAILED on balances and statement alike', async () => {
  // A rule in JavaScript: -Number(Amount) for 1.50, the right bigint for any other amount.
  const rule: BalanceRule = { decide: (e) => ({ counters: [{ key: String(e['SourceAccount']), delta: (e['Amount'] === '1.50' ? -1.5 : -2050n) as bigint }] }) };
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), schemaFolders: [SCHEMAS], balanceRules: { outgoing_payment: rule }, dispatch: { maxAttempts: 1 } });
  try {
    const [, bad] = await local.lake.emit([payment(1714000000, '20.50'), payment(1714000060, '1.50')]);
    const letters = (await local.deadLetters.list()).map((l) => [l.target, l.id, l.error.slice(0, l.error.indexOf(': return a bigint'))]).sort();
    const words = (name: string) => `PROJECTION_RULE_FAILED: projection ${name}: its rule for outgoing_payment threw on event ${bad!.id}: TypeError: decide returned counters[0].delta = -1.5 (a number)`;
    assert.equal(letters, [['balances', bad!.id, words('balances')], ['statement', bad!.id, words('statement')]]);
    assert.is(await local.lake.balance('DE44-5001-0517'), '-20.50');
    assert.equal((await local.store.rows('statement', await local.store.liveGeneration('statement'), 'DE44-5001-0517')).map((r) => r.value['amount']), ['-20.50']);
  } finally {
    await local.close();
  }
});

test.run();
