// `eventlake verify --against`: exactly one reference, and `live` only with --generation; anything else is refused
// with the flag and the fix before the data dir is opened, instead of verifying something other than was asked.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVerifyAgainst } from '../../cli/commands/verify.ts';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';

const test = suite('eventlake verify --against (CLI)');

test('a list of references is refused (not cut to its first one): exit 1 naming --against, no data dir created', async () => {
  await assertRefusedBeforeOpen(['verify', '--against', 'snapshot,log'], 'INVALID_ARGUMENT: --against: verify takes one reference, got "snapshot,log": run verify once per reference');
});

test('live without --generation is refused with the fix: add --generation N', async () => {
  await assertRefusedBeforeOpen(['verify', '--against', 'live'], 'INVALID_ARGUMENT: --against: live compares another generation with the live one: add --generation N');
});

test('one reference is accepted; live with a generation too', () => {
  assert.is(parseVerifyAgainst('log', false), 'log');
  assert.is(parseVerifyAgainst('snapshot', false), 'snapshot');
  assert.is(parseVerifyAgainst('live', true), 'live');
  assert.throws(() => parseVerifyAgainst('nonsense', false), /--against/);
});

test.run();
