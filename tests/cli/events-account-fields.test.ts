// `eventlake events --account` and `query` find events of user types by the account fields their schemas declare
// (x-eventlake-accounts); an event indexed before its schema declared them is found after `repair index`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment, feeCharged, transfer } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;
const EVENTS: readonly DomainEvent[] = [
  cardPayment(1, T0, 'CARD-0001', 'SHOP-0001'),
  feeCharged(2, T0 + 1, 'ACC-000001', 'CARD-0001'),
  transfer(3, T0 + 2, 'ACC-000001', 'ACC-000002'),
];

/** A data dir with `events` emitted through the CLI with `schemas`. */
async function emitted(schemas: string, events: readonly DomainEvent[] = EVENTS): Promise<string> {
  const dir = join(tempDir(), 'lake');
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  const r = await runCli(['--data-dir', dir, '--schemas', schemas, 'emit', file]);
  assert.is(r.code, 0, r.stderr);
  return dir;
}

/** The ids `events --account` lists. */
async function eventsTouching(dir: string, schemas: string, account: string): Promise<string[]> {
  const r = await runCli(['--data-dir', dir, '--schemas', schemas, 'events', '--since', String(T0), '--until', String(T0 + 10), '--account', account, '--json']);
  assert.is(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => String((JSON.parse(l) as { id: string }).id));
}

const ids = (...events: DomainEvent[]) => events.map(eventId);

const test = suite('eventlake events --account: declared account fields (CLI)');

test('events --account finds a user type by its declared account, in either declared field', async () => {
  const dir = await emitted(ACCOUNT_FIELDS_SCHEMAS);
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'CARD-0001'), ids(EVENTS[0]!, EVENTS[1]!));
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'ACC-000001'), ids(EVENTS[1]!, EVENTS[2]!));
});

test('events --account does not find a user type by a field it does not declare (the merchant TargetAccount)', async () => {
  const dir = await emitted(ACCOUNT_FIELDS_SCHEMAS);
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'SHOP-0001'), []);
});

test('query account_history finds the events a declared account touches', async () => {
  const dir = await emitted(ACCOUNT_FIELDS_SCHEMAS);
  const r = await runCli(['--data-dir', dir, '--schemas', ACCOUNT_FIELDS_SCHEMAS, 'query', '--named', 'account_history', '--param', 'account=CARD-0001', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event_id: string }).event_id), ids(EVENTS[0]!, EVENTS[1]!));
});

test('an event stored before its schema declared accounts keeps its old accounts until repair index re-derives them', async () => {
  // The same card_payment v1 without the keyword: its accounts are SourceAccount/TargetAccount, the merchant's.
  const undeclared = tempDir();
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Record<string, unknown>;
  delete schema['x-eventlake-accounts'];
  writeFileSync(join(undeclared, 'card_payment.v1.json'), JSON.stringify(schema));
  const dir = await emitted(undeclared, [EVENTS[0]!]);
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'CARD-0001'), [], 'not re-indexed by adding the keyword');
  const repaired = await runCli(['--data-dir', dir, '--schemas', ACCOUNT_FIELDS_SCHEMAS, 'repair', 'index', '--json']);
  assert.is(repaired.code, 0, repaired.stderr);
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'CARD-0001'), ids(EVENTS[0]!));
  assert.equal(await eventsTouching(dir, ACCOUNT_FIELDS_SCHEMAS, 'SHOP-0001'), []);
});

test('a schema declaring more than 2 account fields stops the CLI with SCHEMA_ACCOUNT_FIELDS naming the file', async () => {
  const folder = tempDir();
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'fee_charged.v1.json'), 'utf8')) as Record<string, unknown>;
  schema['x-eventlake-accounts'] = ['Account', 'WaivedFor', 'Amount'];
  writeFileSync(join(folder, 'fee_charged.v1.json'), JSON.stringify(schema));
  const file = join(tempDir(), 'fee.ndjson');
  writeFileSync(file, JSON.stringify(EVENTS[1]));
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), '--schemas', folder, 'emit', file]);
  assert.is(r.code, 1);
  assert.match(r.stderr, `eventlake: SCHEMA_ACCOUNT_FIELDS: ${join(folder, 'fee_charged.v1.json')}: "x-eventlake-accounts" names 3 fields`);
});

test.run();
