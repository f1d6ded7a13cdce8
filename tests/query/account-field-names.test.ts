// A declared account field may have any plain-identifier name a schema gives it, including names the catalogue's SQL
// uses for its own columns (object_key, copy_rank), SQL keywords (end, when), or names the cache's load query joins
// on (path, f): the account filters read it, and nothing else the queries answer changes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { QueryResult } from '../../domain/ports/event-query.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { schemaColumns } from '../../schemas/columns.ts';
import { ACCOUNT_FIELDS_SCHEMAS } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_719_792_000; // 2024-07-01T00:00:00Z
const rid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A folder with card_payment v1 whose account field is named `field` instead of CardAccount. */
function schemasNaming(field: string): string {
  const schema = JSON.parse(readFileSync(join(ACCOUNT_FIELDS_SCHEMAS, 'card_payment.v1.json'), 'utf8')) as Record<string, unknown>;
  const properties = schema['properties'] as Record<string, unknown>;
  properties[field] = properties['CardAccount'];
  delete properties['CardAccount'];
  schema['required'] = (schema['required'] as string[]).map((r) => (r === 'CardAccount' ? field : r));
  schema['x-eventlake-accounts'] = [field];
  const dir = tempDir();
  writeFileSync(join(dir, 'card_payment.v1.json'), JSON.stringify(schema));
  return dir;
}

/**
 * A lake holding one card payment whose account field `field` is CARD-0001 (and a transfer), and what `ask` answers
 * from a DuckDbEventQuery over it (`cacheRows` as given) with the schemas' columns and account fields; `sqlRuns`
 * counts the queries it answered as SQL rather than from its cache.
 */
async function lakeWith(field: string, cacheRows: number, ask: (q: DuckDbEventQuery) => Promise<QueryResult>) {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, schemaFolders: [schemasNaming(field)], onCatchUpError: () => undefined });
  const payment: DomainEvent = { EventType: 'card_payment', SchemaVersion: 1, RequestId: rid(1), EventTimeStamp: T0 + 5, [field]: 'CARD-0001', TargetAccount: 'SHOP-0001', Amount: '4.20' };
  const transfer: DomainEvent = { EventType: 'inter_account_transfer', SchemaVersion: 1, RequestId: rid(2), EventTimeStamp: T0 + 6, SourceAccount: 'ACC-000001', TargetAccount: 'CARD-0001', Amount: '1.00', Reference: 'x' };
  const stored = await local.log.append([payment, transfer]);
  await local.catchUp();
  const { registry } = local;
  const query = new DuckDbEventQuery({ dataDir, cacheRows, extraColumns: schemaColumns(registry).columns, accounts: accountDeclarations(registry) });
  const counter = { sqlRuns: 0 };
  const seam = query as unknown as { runNow: (...args: unknown[]) => Promise<QueryResult> };
  const runNow = seam.runNow.bind(query);
  seam.runNow = (...args) => (counter.sqlRuns++, runNow(...args));
  try {
    return { result: await ask(query), keys: stored.map((s) => s.key), counter };
  } finally {
    await query.close();
    await local.close();
  }
}

const byCard = (q: DuckDbEventQuery) => q.eventsBetween({ from: T0, to: T0 + 60, accounts: ['CARD-0001'] });

const test = suite('declared account fields named like the SQL\'s own columns');

test('an account field named object_key: events_to_replay still answers each event\'s object key', async () => {
  const { result, keys } = await lakeWith('object_key', 0, byCard);
  assert.equal(result.rows.map((r) => r['object_key']), keys);
});

test('an account field named copy_rank: every event is still found once', async () => {
  const { result } = await lakeWith('copy_rank', 0, byCard);
  assert.equal(result.rows.map((r) => r['event_type']), ['card_payment', 'inter_account_transfer']);
});

test('an account field named object_key: account_history lists the events it touches, with their object keys', async () => {
  const { result, keys } = await lakeWith('object_key', 0, (q) => q.named('account_history', { account: 'CARD-0001' }));
  assert.equal(result.rows.map((r) => r['object_key']), keys);
});

for (const field of ['end', 'when', 'order', 'select']) {
  test(`an account field named ${field}, an SQL keyword: the SQL finds the events it touches`, async () => {
    const { result } = await lakeWith(field, 0, byCard);
    assert.equal(result.rows.map((r) => r['event_type']), ['card_payment', 'inter_account_transfer']);
  });
}

for (const field of ['path', 'f']) {
  test(`an account field named ${field}: the cache answers eventsBetween by account, without falling back to SQL`, async () => {
    const { result, counter } = await lakeWith(field, 1_000, byCard);
    assert.equal(result.rows.map((r) => r['event_type']), ['card_payment', 'inter_account_transfer']);
    assert.is(counter.sqlRuns, 0, 'answered from the cache');
  });
}

test.run();
