import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { effectiveTier, estimateRestores, formatDuration, formatMicros, restoreCostMicros } from '../../../projections/rebuild/restore-costs.ts';

const test = suite('restore cost table');
const GIB = 2 ** 30;
const none = { objects: 0, bytes: 0 };

test('Glacier Standard costs $0.01 per GB plus $0.05 per 1,000 requests', () => {
  assert.is(restoreCostMicros('GLACIER', 'Standard', { objects: 1000, bytes: 10 * GIB }), 100_000 + 50_000);
});

test('Glacier Bulk restores are free', () => {
  assert.is(restoreCostMicros('GLACIER', 'Bulk', { objects: 5000, bytes: 100 * GIB }), 0);
});

test('Expedited from Deep Archive is priced and timed as Standard, its fastest tier', () => {
  assert.is(effectiveTier('DEEP_ARCHIVE', 'Expedited'), 'Standard');
  const [expedited] = estimateRestores({ GLACIER: none, DEEP_ARCHIVE: { objects: 1000, bytes: GIB } });
  assert.equal(expedited!.tiersUsed, { DEEP_ARCHIVE: 'Standard' });
  assert.is(expedited!.costMicros, 20_000 + 100_000);
  assert.is(formatDuration(expedited!.minMinutes, expedited!.maxMinutes), '<= 12 h');
});

test('an estimate takes the slowest class: Glacier and Deep Archive with Bulk take 5 to 48 h', () => {
  const bulk = estimateRestores({ GLACIER: { objects: 1, bytes: 1 }, DEEP_ARCHIVE: { objects: 1, bytes: 1 } })[2]!;
  assert.is(bulk.tier, 'Bulk');
  assert.is(formatDuration(bulk.minMinutes, bulk.maxMinutes), '5-48 h');
  const expedited = estimateRestores({ GLACIER: { objects: 1, bytes: 1 }, DEEP_ARCHIVE: none })[0]!;
  assert.is(formatDuration(expedited.minMinutes, expedited.maxMinutes), '1-5 min');
  const mixed = estimateRestores({ GLACIER: { objects: 1, bytes: 1 }, DEEP_ARCHIVE: { objects: 1, bytes: 1 } })[0]!;
  assert.is(formatDuration(mixed.minMinutes, mixed.maxMinutes), '1 min-12 h');
});

test('nothing to restore costs nothing and takes no time', () => {
  for (const e of estimateRestores({ GLACIER: none, DEEP_ARCHIVE: none })) {
    assert.is(e.costMicros, 0);
    assert.is(formatDuration(e.minMinutes, e.maxMinutes), 'none');
  }
});

test('a non-zero cost never prints as zero', () => {
  assert.is(formatMicros(1), '$0.0001');
  assert.is(formatMicros(1_234_500), '$1.2345');
  assert.is(formatMicros(0), '$0.0000');
});

test.run();
