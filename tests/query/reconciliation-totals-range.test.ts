// reconciliation_totals is exact for any sum of schema-valid amounts: an account whose cents pass 2^63 (BIGINT's
// range) is totalled, and so is every other account, on DuckDB and on the SQL AthenaEventQuery sends.
import { rmSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AthenaEventQuery } from '../../adapters/aws/athena-event-query.ts';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { unreadableObjects } from '../../adapters/local/duckdb-partitions.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { EventQuery } from '../../domain/ports/event-query.ts';
import { formatResult } from '../../cli/commands/query.ts';
import { scratchDir } from '../reliability/scratch-dir.ts';
import { writeLog } from '../support/log-fixture.ts';
import { SAMPLES } from '../support/samples.ts';
import { emulateAthena } from './athena-emulation.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const MAX_AMOUNT = '999999999999999.99'; // the schema's largest: 15 digits and two decimals
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
let next = 0;
const event = (type: string, fields: Record<string, unknown>): DomainEvent =>
  ({ ...SAMPLES[type], RequestId: uuid(++next), EventTimeStamp: START + next, ...fields } as DomainEvent);

// 95 of the largest amount and one cent to BIG-0001: 9,499,999,999,999,999,906 cents, past 2^63 - 1.
const events: DomainEvent[] = [
  ...Array.from({ length: 95 }, () => event('incoming_payment', { TargetAccount: 'BIG-0001', Amount: MAX_AMOUNT })),
  event('incoming_payment', { TargetAccount: 'BIG-0001', Amount: '0.01' }),
  event('incoming_payment', { TargetAccount: 'ACC-0001', Amount: '123.45' }),
  event('inter_account_transfer', { SourceAccount: 'ACC-0001', TargetAccount: 'ACC-0002', Amount: '20.00' }),
  event('cash_withdrawal', { SourceAccount: 'BIG-0001', Amount: '0.50' }),
];

const BIG = { account: 'BIG-0001', credits_cents: 9_499_999_999_999_999_906n, debits_cents: 50, net_cents: 9_499_999_999_999_999_856n, movement_count: 97 };
const EXPECTED = [
  { account: 'ACC-0001', credits_cents: 12_345, debits_cents: 2_000, net_cents: 10_345, movement_count: 2 },
  { account: 'ACC-0002', credits_cents: 2_000, debits_cents: 0, net_cents: 2_000, movement_count: 1 },
  BIG,
];

const test = suite('reconciliation_totals beyond BIGINT');
const dataDir = scratchDir('eventlake-totals-range-');
writeLog(dataDir, events, () => 'segment');
const engines: [string, EventQuery][] = [];
let closeAthena = () => {};

test.before(async () => {
  const athena = await emulateAthena(dataDir);
  closeAthena = athena.close;
  engines.push(
    ['DuckDB', new DuckDbEventQuery({ dataDir, cacheRows: 0 })],
    ['DuckDB, cached', new DuckDbEventQuery({ dataDir })],
    ['Athena', new AthenaEventQuery({
      client: athena.client, workGroup: 'eventlake', database: 'eventlake', sleep: async () => undefined,
      unreadable: async (range) => unreadableObjects(dataDir, range),
    })],
  );
});

test.after(async () => {
  for (const [, engine] of engines) await engine.close();
  closeAthena();
  rmSync(dataDir, { recursive: true, force: true });
});

test('every account is totalled exactly when one account passes 2^63 cents', async () => {
  for (const [name, engine] of engines) {
    const r = await engine.named('reconciliation_totals', {});
    assert.equal(r.rows, EXPECTED, name);
  }
});

test('one account over 2^63 cents is totalled alone', async () => {
  for (const [name, engine] of engines) {
    assert.equal((await engine.named('reconciliation_totals', { account: 'BIG-0001' })).rows, [BIG], name);
  }
});

test('totals within 2^53 stay JSON numbers; larger ones are written with every digit', async () => {
  const [, engine] = engines[0]!;
  const json = formatResult(await engine.named('reconciliation_totals', {}), 'json');
  assert.match(json, '{"account":"ACC-0001","credits_cents":12345,"debits_cents":2000,"net_cents":10345,"movement_count":2}\n');
  assert.match(json, '{"account":"BIG-0001","credits_cents":9499999999999999906,"debits_cents":50,"net_cents":9499999999999999856,"movement_count":97}\n');
});

test.run();
