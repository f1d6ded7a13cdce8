// At synth, schema folders that make a built-in type newer than its built-in rules were written for are refused as a
// lake opening them is (BUILTIN_RULES_UNFIT), with or without an extensions module: the app prints the code and the
// findings as its last line and exits 1, instead of deploying functions that fold every such event wrongly.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BuiltinRulesUnfitError } from '../../domain/builtin-rule-errors.ts';
import { checkUserCode } from '../../infra/check-user-code.ts';
import { compatibleDepositV2Folder } from '../support/deposit-v2-folder.ts';
import { thrown } from '../support/thrown.ts';
import { tempDir } from '../support/tmp.ts';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');

const test = suite('synth: built-in rules that do not fit the schema folders');

test('schema folders alone making cash_deposit v2 are refused with BUILTIN_RULES_UNFIT, naming the rule to override', () => {
  const error = thrown(() => checkUserCode([compatibleDepositV2Folder()], undefined), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['cash_deposit']);
  assert.match(error.message, 'balanceRules.cash_deposit');
});

test('an extensions module that does not override cash_deposit is refused with BUILTIN_RULES_UNFIT, not "could not be checked"', () => {
  const folders = [join(FIXTURE, 'schemas'), compatibleDepositV2Folder()];
  const error = thrown(() => checkUserCode(folders, join(FIXTURE, 'extensions.ts')), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['cash_deposit']);
  assert.not.match(error.message, 'could not be checked');
});

test('`node infra/app.ts` with such a folder exits 1, its last line eventlake: BUILTIN_RULES_UNFIT', () => {
  // The key as a user types it (-c eventlake:schemaFolders): importing CONTEXT from infra/app.ts would load aws-cdk-lib
  // and all of infra here (~3 s of CPU) for one string; the child loads them.
  const context = { 'eventlake:schemaFolders': compatibleDepositV2Folder() };
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: tempDir() },
  });
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stderr.startsWith('eventlake: BUILTIN_RULES_UNFIT: '), r.stderr);
  assert.match(r.stderr.trim().split('\n').at(-1)!, /cash_deposit \(balances, statement\): .*balanceRules\.cash_deposit/);
});

test.run();
