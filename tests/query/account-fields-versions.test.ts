// A declaration belongs to one schema version, and an event is looked up by the version it was stored as (upcasting
// happens on read, after the lookup): when v2 declares CardAccount and v1 declares nothing, a stored v1 card payment's
// accounts stay SourceAccount/TargetAccount. The index, the catalogue's SQL and DuckDB's cache all answer so.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_719_792_000; // 2024-07-01T00:00:00Z

/** card_payment v1 without the keyword, and v2, the same with it: the declaration arrives with v2. */
function schemasDeclaringFromV2(): string {
  const text = readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8');
  const dir = tempDir();
  const v1 = JSON.parse(text) as Record<string, unknown>;
  delete v1['x-eventlake-accounts'];
  writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(v1));
  const v2 = JSON.parse(text.replace('card_payment/v1.json', 'card_payment/v2.json')) as Record<string, unknown>;
  (v2['properties'] as Record<string, unknown>)['SchemaVersion'] = { const: 2 };
  writeFileSync(join(dir, 'card_payment.v2.json'), JSON.stringify(v2));
  return dir;
}

const test = suite('declared account fields across schema versions');

test('a v1 event is found by its TargetAccount, a v2 event by its CardAccount, alike in the index, the SQL and the cache', async () => {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, schemaFolders: [schemasDeclaringFromV2()], onCatchUpError: () => undefined });
  const v1: DomainEvent = cardPayment(1, T0 + 1, 'CARD-0001', 'SHOP-0001');
  const v2: DomainEvent = { ...cardPayment(2, T0 + 2, 'CARD-0001', 'SHOP-0001'), SchemaVersion: 2 };
  await local.log.append([v1, v2]);
  await local.catchUp();
  const { registry } = local;
  const options = { dataDir, extraColumns: schemaColumns(registry).columns, accounts: accountDeclarations(registry) };
  const sql = new DuckDbEventQuery({ ...options, cacheRows: 0 });
  const cache = new DuckDbEventQuery({ ...options, cacheRows: 1_000 });
  try {
    for (const [account, expected] of [['CARD-0001', [v2]], ['SHOP-0001', [v1]]] as const) {
      const q = { from: T0, to: T0 + 60, accounts: [account] };
      const indexed: string[] = [];
      for await (const e of local.index.between(q)) indexed.push(e.id);
      const ids = expected.map(eventId);
      assert.equal(indexed, ids, `index, ${account}`);
      assert.equal((await sql.eventsBetween(q)).rows.map((r) => r['event_id']), ids, `SQL, ${account}`);
      assert.equal((await cache.eventsBetween(q)).rows.map((r) => r['event_id']), ids, `cache, ${account}`);
      assert.equal((await sql.named('account_history', { account })).rows.map((r) => r['event_id']), ids, `account_history, ${account}`);
    }
  } finally {
    await sql.close();
    await cache.close();
    await local.close();
  }
});

test.run();
