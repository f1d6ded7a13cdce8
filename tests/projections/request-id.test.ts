import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isRequestId } from '../../schemas/envelope.ts';
import { newRequestId } from '../../projections/request-id.ts';

const test = suite('generated RequestIds (UUIDv7)');
// The generator never goes back in time within a process: each test's clock is later than the one before.
const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string): number => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

test('a generated id is a UUIDv7 with the RFC 9562 variant, and the registry accepts it', () => {
  for (let i = 0; i < 1_000; i++) {
    const id = newRequestId();
    assert.match(id, V7);
    assert.ok(isRequestId(id), id);
  }
});

test('the first 48 bits are the Unix milliseconds of the clock', () => {
  const now = Date.UTC(2031, 4, 6, 7, 8, 9, 123);
  assert.is(msOf(newRequestId(now)), now);
});

test('ids sort in the order they were made, within one millisecond and across milliseconds', () => {
  const start = Date.UTC(2032, 0, 1);
  const ids: string[] = [];
  for (let i = 0; i < 20_000; i++) ids.push(newRequestId(start + Math.floor(i / 7)));
  assert.equal(sorted(ids), ids);
  assert.is(new Set(ids).size, ids.length);
});

test('more than 4,096 ids in one millisecond stay ordered, borrowing the next millisecond', () => {
  const now = Date.UTC(2033, 0, 1);
  const ids = Array.from({ length: 10_000 }, () => newRequestId(now));
  assert.equal(sorted(ids), ids);
  assert.is(new Set(ids).size, ids.length);
  assert.ok(msOf(ids[ids.length - 1]!) > now);
});

test('a clock that steps back never makes an id sort before an earlier one', () => {
  const now = Date.UTC(2034, 0, 1);
  const before = newRequestId(now);
  const after = newRequestId(now - 60_000);
  assert.ok(after > before, `${after} sorts after ${before}`);
});

test('ids made at the same time differ in their random bits', () => {
  const now = Date.UTC(2035, 0, 1);
  const tails = new Set(Array.from({ length: 5_000 }, () => newRequestId(now).slice(19)));
  assert.is(tails.size, 5_000);
});

test.run();
