// `eventlake query --account` takes the accounts the schemas take: incoming_payment's SourceAccount may hold spaces.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { planQuery } from '../../cli/query-plan.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { listValue } from '../../domain/query-params.ts';
import { writeLog } from '../support/log-fixture.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const SPACED = 'AB12 3456';
const payment = variant('incoming_payment', { SourceAccount: SPACED }) as unknown as DomainEvent;
const other = variant('incoming_payment', { SourceAccount: 'AB12-3456', RequestId: '1b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e' }) as unknown as DomainEvent;
const dataDir = tempDir();
writeLog(dataDir, [payment, other], () => 'segment');
const query = new DuckDbEventQuery({ dataDir });

const test = suite('query --account with a space');
test.after(() => query.close());

test('an account holding a space is a list item of its own', () => {
  assert.is(listValue(`${SPACED},ACC-1`, 'account'), `,${SPACED},ACC-1,`);
});

test('--since --account "AB12 3456" finds the payment from that account, and only it', async () => {
  const plan = planQuery(undefined, { since: '0', account: [SPACED] });
  if (plan.kind !== 'range') throw new Error(`planned ${plan.kind}`);
  const r = await query.eventsBetween(plan.query);
  assert.equal(r.rows.map((row) => row['event_id']), [`incoming_payment_${payment.RequestId}`]);
});

test('--named events_to_replay --account "AB12 3456" finds it too', async () => {
  const r = await query.named('events_to_replay', { from: '0', account: SPACED });
  assert.is(r.rows.length, 1);
});

test('an empty name in the list is still refused, naming the argument', () => {
  try {
    listValue(`${SPACED},,ACC-1`, 'account');
    assert.unreachable('accepted');
  } catch (error) {
    assert.instance(error, InvalidArgumentError);
    assert.match((error as Error).message, /^account: .*empty name at item 2/);
  }
});

test.run();
