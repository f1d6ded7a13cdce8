// A developer's type evolving through the CLI: account_fee_charged v2 renames FeeKind to FeeType and adds a required
// Waivable, with an upcaster in the extensions module. v1 and v2 events both fold; a v1 event the upcaster cannot
// lift is refused by `emit` before anything is written, as it would fail every later dispatch and replay.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { eventsFile, fee, feeType, RENAMES } from './schema-evolution-fixture.ts';

const test = suite('eventlake: a user event type evolving from v1 to v2 (CLI)');

test('v1 and v2 events of an evolved type are stored, folded, and rebuilt to the same balance', async () => {
  const { schemas, module } = feeType(RENAMES);
  const lake = ['--data-dir', join(tempDir(), 'lake'), '--schemas', schemas, '--extensions', module];
  const emitted = await runCli([...lake, 'emit', eventsFile([fee(1, 1_714_000_000, '5.00'), fee(2, 1_714_000_100, '2.50')])]);
  assert.is(emitted.code, 0, emitted.stderr);
  assert.is((await runCli([...lake, 'balance', 'DE44-5001-0517'])).stdout.trim().split('\n').at(-1), 'DE44-5001-0517  -7.50');
  const rebuilt = await runCli([...lake, 'rebuild', '--projection', 'balances', '--from', '0']);
  assert.is(rebuilt.code, 0, rebuilt.stderr);
  assert.is((await runCli([...lake, 'balance', 'DE44-5001-0517'])).stdout.trim().split('\n').at(-1), 'DE44-5001-0517  -7.50');
});

test('emit refuses a v1 event whose upcaster returns an invalid v2, naming the step and the field, and writes nothing', async () => {
  const { schemas, module } = feeType('({ FeeKind, ...rest }) => ({ ...rest, FeeType: FeeKind })');
  await assertRefusedBeforeOpen(['--schemas', schemas, '--extensions', module, 'emit', eventsFile([fee(2, 1_714_000_100, '2.50'), fee(1, 1_714_000_000, '5.00')])],
    /BATCH_REJECTED: 1 of 2 event\(s\) rejected; nothing was written:\n#1: the upcaster account_fee_charged v1 → v2 returned an event that v2 rejects[^]*\/Waivable: is required/);
});

test('emit refuses a v1 event whose upcaster throws, with the thrown message, and writes nothing', async () => {
  const { schemas, module } = feeType('() => { throw new Error(\'no mapping for MONTHLY\'); }');
  await assertRefusedBeforeOpen(['--schemas', schemas, '--extensions', module, 'emit', eventsFile([fee(1, 1_714_000_000, '5.00')])],
    /the upcaster account_fee_charged v1 → v2 threw \(no mapping for MONTHLY\)[^]*fix the upcaster/);
});

test.run();
