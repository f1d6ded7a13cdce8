// `schemas check DIR` says before any lake opens what opening one would refuse (BUILTIN_RULES_UNFIT): a folder making a
// built-in type's latest version newer than its built-in rules, unless the --extensions module replaces that rule.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { compatibleDepositV2Folder } from '../support/deposit-v2-folder.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake schemas check: built-in types newer than their built-in rules');

test('a folder making cash_deposit v2 is a builtin-rule finding naming both fixes', async () => {
  const dir = compatibleDepositV2Folder();
  const r = await runCli(['schemas', 'check', dir, '--json']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  const findings = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; rule: string; message: string });
  assert.equal(findings.map((f) => [f.file.endsWith('cash_deposit.v2.json'), f.rule]), [[true, 'builtin-rule']]);
  assert.match(findings[0]!.message, 'replace the rule with balanceRules.cash_deposit');
  assert.match(findings[0]!.message, 'keep v1 as the latest version');
});

test('with --extensions replacing the cash_deposit rule there is no finding', async () => {
  const module = join(tempDir(), 'eventlake.extensions.ts');
  writeFileSync(module, 'export const balanceRules = { cash_deposit: { related: (e: { RequestId: string }) => [`verify_cash_deposit_${e.RequestId}`], decide: () => ({}) } };\n');
  const dir = compatibleDepositV2Folder();
  const r = await runCli(['--extensions', module, 'schemas', 'check', dir]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, 'no findings');
});

test.run();
