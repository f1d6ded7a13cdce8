// The reference fold's packed idempotency records (packed-applied-records.ts): exactly a Map of the same records, and
// the digest of exactly that Map, whatever the identities look like.

import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../../domain/event.ts';
import type { AppliedRecord } from '../../../domain/projection.ts';
import { appliedDigest } from '../../../projections/rebuild/compare.ts';
import { PackedAppliedRecords } from '../../../projections/rebuild/packed-applied-records.ts';

const test = suite('packed idempotency records of the reference fold');

const UUID = '0190f3c2-7a1b-7c3d-8e4f-5a6b7c8d9e0f';

/** Identities near each other: packed ones one hex digit apart, another type, upper case, not a UUID at all. */
const identity = fc.oneof(
  fc.tuple(fc.constantFrom('cash_deposit', 'verify_cash_deposit', 'x'), fc.integer({ min: 0, max: 35 }), fc.constantFrom(...'0123456789abcdef'))
    .map(([type, at, digit]) => {
      const chars = [...UUID];
      if (chars[at] !== '-') chars[at] = digit;
      return `${type}_${chars.join('')}`;
    }),
  fc.constantFrom(`cash_deposit_${UUID.toUpperCase()}`, `cash_deposit-${UUID}`, `_${UUID}`, UUID, 'incoming_payment_1', '', `a_${UUID}x`),
);
const memo: fc.Arbitrary<JsonObject | null> = fc.option(fc.record({ account: fc.string(), amount: fc.constantFrom('1.00', '-2.50'), ts: fc.integer() }).map((m) => ({ ...m })), { nil: null });
const operation = fc.tuple(fc.constantFrom('set', 'has', 'get'), identity, memo);

test('any sequence of set, has and get answers as a Map does, and digests as appliedDigest of that Map', () => {
  fc.assert(fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
    const packed = new PackedAppliedRecords({ digested: true });
    const map = new Map<string, AppliedRecord>();
    for (const [op, id, m] of operations) {
      if (op === 'set') {
        packed.set(id, { id, memo: m });
        map.set(id, { id, memo: m });
      } else if (op === 'has') {
        assert.is(packed.has(id), map.has(id), `has(${id})`);
      } else {
        assert.equal(packed.get(id), map.get(id), `get(${id})`);
      }
    }
    assert.is(packed.size, map.size);
    assert.equal(packed.digest(), appliedDigest(map));
  }), { numRuns: 300 });
});

test('thousands of records, past every growth of the table, are all found with their memos', () => {
  const packed = new PackedAppliedRecords({ digested: true });
  const map = new Map<string, AppliedRecord>();
  for (let i = 0; i < 20_000; i++) {
    const hex = i.toString(16).padStart(12, '0');
    const id = `${i % 3 === 0 ? 'cash_deposit' : 'incoming_payment'}_0190f3c2-7a1b-7c3d-8e4f-${hex}`;
    const record = { id, memo: i % 5 === 0 ? { n: i } : null };
    packed.set(id, record);
    map.set(id, record);
  }
  assert.is(packed.size, 20_000);
  for (const [id, record] of map) assert.equal(packed.get(id), record);
  assert.not.ok(packed.has('cash_deposit_0190f3c2-7a1b-7c3d-8e4f-000000000001'), 'same UUID, other type');
  assert.not.ok(packed.has('incoming_payment_0190f3c2-7a1b-7c3d-8e4f-100000000000'));
  assert.equal(packed.digest(), appliedDigest(map));
});

test('clear lets every record go and keeps the digest of what was set', () => {
  const packed = new PackedAppliedRecords({ digested: true });
  const records: AppliedRecord[] = [{ id: `cash_deposit_${UUID}`, memo: { account: 'ACC-1', amount: '1.00', ts: 1 } }, { id: 'odd id', memo: null }];
  for (const r of records) packed.set(r.id, r);
  const digest = packed.digest();
  packed.clear();
  assert.equal([packed.size, packed.has(records[0]!.id), packed.has('odd id')], [0, false, false]);
  assert.equal(packed.digest(), digest);
  assert.equal(digest, appliedDigest(new Map(records.map((r) => [r.id, r]))));
});

test('without digested, a set keeps no digest', () => {
  const packed = new PackedAppliedRecords();
  packed.set(`cash_deposit_${UUID}`, { id: `cash_deposit_${UUID}`, memo: null });
  assert.equal([packed.size, packed.digest()], [1, undefined]);
});

test.run();
