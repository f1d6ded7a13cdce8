// A developer's type evolving through the CLI: account_fee_charged v2 renames FeeKind to FeeType and adds a required
// Waivable, with an upcaster in the extensions module. v1 and v2 events both fold; a v1 event the upcaster cannot
// lift is refused by `emit` before anything is written, as it would fail every later dispatch and replay.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const INDEX = new URL('../../index.ts', import.meta.url).href;

/** A folder with account_fee_charged v1 and v2, and a module whose upcaster (v1 → v2) has `upcast` as its body. */
function feeType(upcast: string): { schemas: string; module: string } {
  const dir = tempDir();
  const schemas = join(dir, 'schemas');
  mkdirSync(schemas);
  const schema = (version: number, fields: Record<string, unknown>) => JSON.stringify({
    $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object',
    properties: {
      EventType: { const: 'account_fee_charged' }, SchemaVersion: { const: version }, RequestId: { type: 'string', format: 'uuid' },
      EventTimeStamp: { type: 'integer', minimum: 0 }, Account: { type: 'string', pattern: '^[A-Z0-9-]{4,34}$' },
      Amount: { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})\\.[0-9]{2}$' }, ...fields,
    },
    required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp', 'Account', 'Amount', ...Object.keys(fields)],
    additionalProperties: false,
  });
  writeFileSync(join(schemas, 'account_fee_charged.v1.json'), schema(1, { FeeKind: { enum: ['MONTHLY', 'OVERDRAFT'] } }));
  writeFileSync(join(schemas, 'account_fee_charged.v2.json'), schema(2, { FeeType: { enum: ['MONTHLY', 'OVERDRAFT'] }, Waivable: { type: 'boolean' } }));
  const module = join(dir, 'eventlake.extensions.ts');
  writeFileSync(module, `import { defineExtensions, parseAmount } from '${INDEX}';
export const { balanceRules, upcasters } = defineExtensions({
  balanceRules: { account_fee_charged: { decide: (e) => ({ counters: [{ key: String(e.Account), delta: -parseAmount(String(e.Amount)) }] }) } },
  upcasters: [{ type: 'account_fee_charged', fromVersion: 1, upcast: ${upcast} }],
});
`);
  return { schemas, module };
}

const RENAMES = '({ FeeKind, ...rest }) => ({ ...rest, FeeType: FeeKind, Waivable: FeeKind === \'MONTHLY\' })';
const fee = (version: 1 | 2, at: number, amount: string) => JSON.stringify({
  EventType: 'account_fee_charged', SchemaVersion: version, EventTimeStamp: at, Account: 'DE44-5001-0517', Amount: amount,
  ...(version === 1 ? { FeeKind: 'MONTHLY' } : { FeeType: 'OVERDRAFT', Waivable: false }),
});

function eventsFile(lines: string[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

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
