// The query catalogue as text: portable SQL, parameters bound by position, named parameters checked.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { QUERY_CATALOGUE, RANGE_PREDICATE, bindQuery } from '../../domain/query-catalogue.ts';

const isInvalid = (e: unknown) => e instanceof InvalidArgumentError;
const test = suite('query catalogue');
const SAMPLE_PARAMS: Record<string, Record<string, string | number>> = {
  events_to_replay: { since: 1_709_800_000, until: '2024-03-08T00:00:00Z', type: 'cash_deposit', account: 'ACC-000001' },
  counts_per_type_per_day: { from: '2024-03-01', to: '2024-04-01' },
  account_history: { account: 'ACC-000001' },
  reconciliation_totals: { account: 'ACC-000001' },
};

test('every query binds exactly as many values as its SQL has placeholders', () => {
  for (const name of Object.keys(QUERY_CATALOGUE)) {
    const { sql, values } = bindQuery(QUERY_CATALOGUE, name, SAMPLE_PARAMS[name]!);
    assert.is(values.length, sql.split('?').length - 1, name);
  }
});

test('every query reads events through the partition-pruning range predicate', () => {
  for (const q of Object.values(QUERY_CATALOGUE)) assert.ok(q.sql.includes(RANGE_PREDICATE), q.name);
});

test('money is summed as DECIMAL, never as a floating type', () => {
  for (const q of Object.values(QUERY_CATALOGUE)) assert.not.match(q.sql, /\b(DOUBLE|FLOAT|REAL)\b/i, q.name);
  assert.match(QUERY_CATALOGUE['reconciliation_totals']!.sql, /CAST\(Amount AS DECIMAL\(18,2\)\)/);
});

test('since/until are aliases of from/to', () => {
  const a = bindQuery(QUERY_CATALOGUE, 'counts_per_type_per_day', { since: 100, until: 7300 });
  const b = bindQuery(QUERY_CATALOGUE, 'counts_per_type_per_day', { from: 100, to: 7300 });
  assert.equal(a, b);
  assert.equal(a.range, { from: 100, to: 7300 });
});

test('range values bind first: years, hour keys, then epoch seconds', () => {
  const { values } = bindQuery(QUERY_CATALOGUE, 'events_to_replay', { since: '2024-12-31T23:30:00Z', until: '2025-01-01T01:00:00Z' });
  assert.equal(values.slice(0, 6), ['2024', '2025', '2024123123', '2025010100', 1_735_687_800, 1_735_693_200]);
});

test('user values are bound as values, however they look', () => {
  const attack = "ACC' OR '1'='1";
  const { sql, values } = bindQuery(QUERY_CATALOGUE, 'account_history', { account: attack });
  assert.ok(values.includes(attack));
  assert.not.ok(sql.includes(attack));
});

test('an unknown query names the known ones', () => {
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'nope', {}), (e: unknown) => e instanceof InvalidArgumentError && /events_to_replay/.test(e.message));
});

test('an unknown parameter is rejected rather than ignored', () => {
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'reconciliation_totals', { acount: 'ACC-000001' }), isInvalid);
});

test('required parameters are required', () => {
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'events_to_replay', {}), isInvalid);
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'account_history', {}), isInvalid);
});

test('list items are plain names (no quotes, no empty items), so a list filter cannot be widened', () => {
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'events_to_replay', { since: 0, type: "cash_deposit,x'y" }), isInvalid);
  assert.throws(() => bindQuery(QUERY_CATALOGUE, 'events_to_replay', { since: 0, type: 'cash_deposit,' }), isInvalid);
});

test.run();
