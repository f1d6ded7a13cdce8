// CompactAppliedRecords answers as a Map of the same records, whatever is set, deleted or cleared in whatever order.

import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CompactAppliedRecords } from '../../domain/compact-applied-records.ts';
import type { JsonObject } from '../../domain/event.ts';
import type { AppliedRecord } from '../../domain/projection.ts';

const ids = fc.constantFrom('cash_deposit_a', 'cash_deposit_b', 'verify_cash_deposit_a', 'incoming_payment_c');
const memos = fc.constantFrom<JsonObject | null>(null, { account: 'DE44-5001-0517', amount: '1.00', ts: 1 }, { verified: true });
const operations = fc.array(fc.oneof(
  // Most records carry their own key as id; some do not (a Map allows it, so the records must too).
  fc.record({ op: fc.constant('set' as const), id: ids, memo: memos, ownId: fc.boolean() }),
  fc.record({ op: fc.constantFrom('delete' as const, 'has' as const, 'get' as const), id: ids }),
  fc.record({ op: fc.constant('clear' as const) }),
), { maxLength: 40 });

const sorted = (m: Iterable<[string, AppliedRecord]>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

test('any sequence of sets, deletes and clears answers has, get, size and iteration as a Map of the same records', () => {
  fc.assert(fc.property(operations, (list) => {
    const records = new CompactAppliedRecords();
    const map = new Map<string, AppliedRecord>();
    for (const step of list) {
      if (step.op === 'set') {
        const record: AppliedRecord = { id: step.ownId ? step.id : `${step.id}_other`, memo: step.memo };
        records.set(step.id, record);
        map.set(step.id, record);
      } else if (step.op === 'clear') {
        records.clear();
        map.clear();
      } else if (step.op === 'delete') {
        assert.is(records.delete(step.id), map.delete(step.id), `delete ${step.id}`);
      } else if (step.op === 'has') {
        assert.is(records.has(step.id), map.has(step.id), `has ${step.id}`);
      } else {
        assert.equal(records.get(step.id), map.get(step.id), `get ${step.id}`);
      }
      assert.is(records.size, map.size, 'size');
    }
    assert.equal(sorted(records), sorted(map), 'entries');
    assert.equal([...records.keys()].sort(), [...map.keys()].sort(), 'keys');
    const texts = (values: Iterable<AppliedRecord>) => [...values].map((r) => JSON.stringify(r)).sort();
    assert.equal(texts(records.values()), texts(map.values()), 'values');
  }), { numRuns: 500 });
});

test('a record set again with a memo replaces the memo-less one, and the other way round', () => {
  const records = new CompactAppliedRecords();
  records.set('cash_deposit_a', { id: 'cash_deposit_a', memo: null });
  records.set('cash_deposit_a', { id: 'cash_deposit_a', memo: { amount: '1.00' } });
  assert.equal([records.size, records.get('cash_deposit_a')], [1, { id: 'cash_deposit_a', memo: { amount: '1.00' } }]);
  records.set('cash_deposit_a', { id: 'cash_deposit_a', memo: null });
  assert.equal([records.size, records.get('cash_deposit_a')], [1, { id: 'cash_deposit_a', memo: null }]);
});

test.run();
