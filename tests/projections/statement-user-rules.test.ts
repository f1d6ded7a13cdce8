// The statement carries the entries of your own balance rules, so for every account it adds up to the balance.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { statementOf } from '../../projections/statement.ts';
import { outgoingPaymentRule } from '../../examples/outgoing-payment/balance-rule.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('statement with user balance rules');
const EXAMPLE = join(import.meta.dirname, '../../examples/outgoing-payment');
const EVENTS = readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);

test('an outgoing payment (a user type) is a statement line, and each account\'s last line is its balance', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), schemaFolders: [join(EXAMPLE, 'schemas')], balanceRules: { outgoing_payment: outgoingPaymentRule } });
  try {
    await local.lake.emit(EVENTS);
    const balances = await local.lake.balances();
    const generation = await local.store.liveGeneration('statement');
    for (const [account, balance] of balances) {
      const lines = statementOf(await local.store.rows('statement', generation, account));
      assert.is(lines.at(-1)?.balance, balance, account);
    }
    const source = (EVENTS.find((e) => (e as { EventType: string }).EventType === 'outgoing_payment') as { SourceAccount: string }).SourceAccount;
    const lines = statementOf(await local.store.rows('statement', generation, source));
    assert.ok(lines.some((l) => l.type === 'outgoing_payment' && l.amount.startsWith('-')), JSON.stringify(lines));
  } finally {
    await local.close();
  }
});

test.run();
