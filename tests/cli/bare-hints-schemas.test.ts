// Schema errors name the command that looks further (`check`, `schemas check`) with the global options the user gave,
// so it reads the same data dir with the same schemas and upcasters: a bare command checks the default folder instead.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { parcelReturned } from '../schemas/evolution-fixture.ts';
import { eventsFile, fee, feeType, RENAMES } from './schema-evolution-fixture.ts';

const test = suite('schema errors spell their commands with the global options');

test('a stored event that no longer passes its schema names check with --data-dir, --schemas and --extensions', async () => {
  const { schemas, module } = feeType(RENAMES);
  const lake = ['--data-dir', join(tempDir(), 'lake'), '--schemas', schemas, '--extensions', module];
  assert.is((await runCli([...lake, 'emit', eventsFile([fee(1, 1_714_000_000, '5.00')])])).code, 0);
  const v1 = join(schemas, 'account_fee_charged.v1.json');
  writeFileSync(v1, readFileSync(v1, 'utf8').replace('["MONTHLY","OVERDRAFT"]', '["OVERDRAFT"]'));
  const r = await runCli([...lake, 'rebuild', '--projection', 'balances', '--from', '0']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `if the event itself was altered, run eventlake ${lake.join(' ')} check`);
});

test('a breaking schema version without an upcaster names schemas check with --schemas (and the data dir)', async () => {
  const dataDir = join(tempDir(), 'lake');
  assert.is((await runCli(['--data-dir', dataDir, 'emit', eventsFile([JSON.stringify(SAMPLES['cash_deposit'])])])).code, 0);
  const { dir } = parcelReturned('required');
  const r = await runCli(['--data-dir', dataDir, '--schemas', dir, 'balance', 'DE44-5001-0517']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `\`eventlake --data-dir ${dataDir} --schemas ${dir} schemas check ${dir}\` lists the same`);
});

test.run();
