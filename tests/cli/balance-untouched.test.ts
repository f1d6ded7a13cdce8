// `eventlake balance ACCOUNT` and GET /balances/ACCOUNT for an account the log names but no folding rule moves (an
// incoming payment's remote account, a user type without a balance rule): they said "no event has touched it", which
// sent the user looking for a typo. They now say how many events name it, of which types, and why none moved it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import { runCli } from '../security/cli-run.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { SAMPLES, variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('eventlake balance: an account named by events that move no balance');

const REMOTE = 'NL91-ABNA-0417';
const payments = [SAMPLES['incoming_payment'], variant('incoming_payment', { RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3f' })].map((p) => ({ ...p, SourceAccount: REMOTE }));

/** A data dir holding `lines` (NDJSON), emitted by the CLI with `schemas` (if any). */
async function emitted(lines: readonly object[], schemas: readonly string[] = []): Promise<string> {
  const dir = join(tempDir(), 'lake');
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, lines.map((e) => JSON.stringify(e)).join('\n'));
  const r = await runCli(['--data-dir', dir, ...schemas, 'emit', file]);
  assert.is(r.code, 0, r.stderr);
  return dir;
}

test('the remote account of incoming payments is named with its events and why the rule does not move it', async () => {
  const dir = await emitted(payments);
  const r = await runCli(['--data-dir', dir, 'balance', REMOTE]);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, `eventlake: EVENT_NOT_FOUND: no event at account ${REMOTE} that changes its balance in projection balances: the index has 2 events naming it (2 incoming_payment), but the incoming_payment rule of balances moves the event's other accounts\n`);
});

test('an account named only by a user type without a balance rule says the projection has no rule for it and how to give one with --extensions', async () => {
  const schemas = ['--schemas', ACCOUNT_FIELDS_SCHEMAS];
  const dir = await emitted([cardPayment(1, 1_700_000_000, 'CARD-0001', 'SHOP-0001')], schemas);
  const r = await runCli(['--data-dir', dir, ...schemas, 'balance', 'CARD-0001']);
  assert.is(r.code, 1, r.stderr);
  assert.is(r.stderr, 'eventlake: EVENT_NOT_FOUND: no event at account CARD-0001 that changes its balance in projection balances: the index has 1 event naming it (1 card_payment), but balances has no rule for card_payment (export one in balanceRules from the module of --extensions FILE, or EVENTLAKE_EXTENSIONS, to fold it)\n');
});

test('GET /balances/ACCOUNT of an incoming payment\'s remote account is a 404 saying which events name it', () =>
  withLake(async (local) => {
    const app = buildServer(local);
    try {
      await app.inject({ method: 'POST', url: '/events', payload: payments });
      const r = await app.inject({ method: 'GET', url: `/balances/${REMOTE}` });
      assert.is(r.statusCode, 404);
      assert.equal(r.json(), { error: 'EVENT_NOT_FOUND', message: `no event at account ${REMOTE} that changes its balance in projection balances: the index has 2 events naming it (2 incoming_payment), but the incoming_payment rule of balances moves the event's other accounts` });
    } finally {
      await app.close();
    }
  }));

test.run();
