// On AWS as locally, schema folders that make a built-in type newer than its built-in rules are refused unless the
// rules given replace that type's rule: openAwsEventlake (the CLI's --target aws, an API caller) and the functions'
// deployment (deploymentFrom) fold nothing with built-in rules not written for what the schemas make latest.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { deploymentFrom } from '../../../adapters/aws/lambda/deployment.ts';
import { openAwsEventlake } from '../../../adapters/aws/open-aws-eventlake.ts';
import { openTarget } from '../../../cli/target.ts';
import type { BalanceRule } from '../../../domain/balances.ts';
import { BuiltinRulesUnfitError } from '../../../domain/builtin-rule-errors.ts';
import { rejects } from '../../support/async.ts';
import { compatibleDepositV2Folder } from '../../support/deposit-v2-folder.ts';
import { thrown } from '../../support/thrown.ts';
import { tempDir } from '../../support/tmp.ts';

const NAMES = { region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };
/** A deposit rule fit for the built-in verification rule beside it: it sees its verification (the pair check). */
const depositRule: BalanceRule = { related: (e) => [`verify_cash_deposit_${e.RequestId}`], decide: () => ({ counters: [] }) };
/** The folder as EVENTLAKE_SCHEMA_FOLDERS names it: relative to the bundle directory. */
const bundled = (folder: string) => ({ env: { [LAMBDA_ENV.schemaFolders]: basename(folder) }, base: dirname(folder) });

const test = suite('AWS: built-in rules that do not fit the schemas');

test('openAwsEventlake with schemaFolders making cash_deposit v2 and no rule for it is refused with BUILTIN_RULES_UNFIT', async () => {
  const error = await rejects(() => openAwsEventlake({ ...NAMES, schemaFolders: [compatibleDepositV2Folder()] }, {}), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['cash_deposit']);
});

test('openAwsEventlake given balanceRules replacing that rule opens, and its balances fold with them', async () => {
  const runtime = await openAwsEventlake({ ...NAMES, schemaFolders: [compatibleDepositV2Folder()], balanceRules: { cash_deposit: depositRule } }, {});
  try {
    assert.is(runtime.projections.find((p) => p.name === 'balances')?.rules?.['cash_deposit'], depositRule);
  } finally {
    await runtime.close();
  }
});

test('--target aws with an extensions module replacing that rule opens (its rules reach the check)', async () => {
  const module = join(tempDir(), 'eventlake.extensions.ts');
  writeFileSync(module, 'export const balanceRules = { cash_deposit: { related: (e: { RequestId: string }) => [`verify_cash_deposit_${e.RequestId}`], decide: () => ({}) } };\n');
  const env = { EVENTLAKE_BUCKET: NAMES.bucket, EVENTLAKE_INDEX_TABLE: NAMES.indexTable, EVENTLAKE_CONTROL_TABLE: NAMES.controlTable, AWS_REGION: NAMES.region };
  const runtime = await openTarget({ target: 'aws', dataDir: tempDir(), schemaFolders: [compatibleDepositV2Folder()], extensions: module }, env);
  await runtime.close();
});

test('deploymentFrom with bundled schemas making cash_deposit v2 and no rule for it throws BUILTIN_RULES_UNFIT', () => {
  const { env, base } = bundled(compatibleDepositV2Folder());
  const error = thrown(() => deploymentFrom({}, env, base), BuiltinRulesUnfitError);
  assert.equal(error.findings.map((f) => f.type), ['cash_deposit']);
});

test('deploymentFrom with a module replacing that rule folds with it', () => {
  const { env, base } = bundled(compatibleDepositV2Folder());
  const { projections } = deploymentFrom({ balanceRules: { cash_deposit: depositRule } }, env, base);
  assert.is(projections.find((p) => p.name === 'balances')?.rules?.['cash_deposit'], depositRule);
});

test.run();
