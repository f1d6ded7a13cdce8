// The infra tests' cache of CloudFormation validation (tests/support/cfn-validation-cache.ts): only an input seen
// clean before skips the validator; a changed template, stack, account or region, a warning or an error never does.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import { cachedValidator, cacheCloudFormationValidation, validationKey } from '../support/cfn-validation-cache.ts';
import { tempDir } from '../support/tmp.ts';

type Validate = CloudFormationValidatePlugin['validate'];
type Context = Parameters<Validate>[0];
type Report = ReturnType<Validate>;

const test = suite('CloudFormation validation cache');

const TEMPLATE = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'lake' } } } });

/** A validation context of one template written with `text` in a fresh folder. */
function contextOf(text: string, over: Partial<Context['stackTemplates'][number]> = {}): Context {
  const templatePath = join(tempDir('eventlake-cfn-'), 'Test.template.json');
  writeFileSync(templatePath, text);
  return { stackTemplates: [{ stackConstructPath: 'Test', templatePath, accountId: undefined, region: undefined, ...over }] } as unknown as Context;
}

/** A validator that answers `answer(context)` and counts its calls, wrapped by the cache in a fresh folder. */
function counted(answer: (context: Context) => Report) {
  const calls = { validator: 0, hits: 0 };
  const dir = tempDir('eventlake-cfn-cache-');
  const validate = cachedValidator(function (this: CloudFormationValidatePlugin, context: Context) { calls.validator++; return answer(context); } as Validate, dir, (hit) => { if (hit) calls.hits++; });
  const run = (context: Context) => validate.call({} as CloudFormationValidatePlugin, context);
  return { calls, dir, run };
}

const CLEAN: Report = { success: true, violations: [] };
const pathOf = (context: Context): string => context.stackTemplates[0]!.templatePath;

/** `report` with every violating resource's template at `templatePath`. */
const withPath = (report: Report, templatePath: string): Report => ({
  ...report, violations: report.violations.map((v) => ({ ...v, violatingResources: v.violatingResources.map((r) => ({ ...r, templatePath })) })),
});
const violation = (ruleName: string, severity: string) => ({ ruleName, description: ruleName, severity, violatingResources: [{ resourceLogicalId: 'Bucket', templatePath: 'unset', locations: [] }] });
const WARNING = { success: true, violations: [violation('W1', 'warning')] } as unknown as Report;
const ERROR = { success: false, violations: [violation('E1', 'error')] } as unknown as Report;

test('the same template bytes in another folder give the same key (each synthesis writes to a fresh cdk.out)', () => {
  assert.is(validationKey(contextOf(TEMPLATE)), validationKey(contextOf(TEMPLATE)));
});

test('a template that differs by one byte has another key', () => {
  assert.is.not(validationKey(contextOf(TEMPLATE)), validationKey(contextOf(TEMPLATE.replace('lake', 'lakf'))));
});

test('another stack path, account, region or plugin option has another key', () => {
  const base = validationKey(contextOf(TEMPLATE));
  assert.is.not(validationKey(contextOf(TEMPLATE, { stackConstructPath: 'Other' })), base);
  assert.is.not(validationKey(contextOf(TEMPLATE, { accountId: '123456789012' })), base);
  assert.is.not(validationKey(contextOf(TEMPLATE, { region: 'eu-west-1' })), base);
  assert.is.not(validationKey(contextOf(TEMPLATE), { includeDefaultRules: false }), base);
});

test('a template validated clean once is answered from the cache the second time, without the validator', () => {
  const { calls, run } = counted(() => CLEAN);
  assert.equal(run(contextOf(TEMPLATE)), CLEAN);
  assert.equal(run(contextOf(TEMPLATE)), CLEAN);
  assert.equal(calls, { validator: 1, hits: 1 });
});

test('a changed template misses the cache and is validated for real', () => {
  const { calls, run } = counted(() => CLEAN);
  run(contextOf(TEMPLATE));
  run(contextOf(TEMPLATE.replace('lake', 'lakf')));
  assert.equal(calls, { validator: 2, hits: 0 });
});

test('a report with a warning or an error is replayed as the validator gave it, naming this synthesis\'s template', () => {
  for (const report of [WARNING, ERROR]) {
    const { calls, run } = counted((context) => withPath(report, pathOf(context)));
    const first = contextOf(TEMPLATE);
    assert.equal(run(first), withPath(report, pathOf(first)));
    const second = contextOf(TEMPLATE);
    assert.equal(run(second), withPath(report, pathOf(second)));
    assert.equal(calls, { validator: 1, hits: 1 });
  }
});

test('a report naming a template outside the validated ones is not stored', () => {
  const { calls, dir, run } = counted(() => withPath(ERROR, '/elsewhere/Other.template.json'));
  run(contextOf(TEMPLATE));
  run(contextOf(TEMPLATE));
  assert.equal(calls, { validator: 2, hits: 0 });
  assert.equal(readdirSync(dir), []);
});

test('a cache entry is written whole under its key, with no temporary file left behind', () => {
  const { dir, run } = counted(() => CLEAN);
  const context = contextOf(TEMPLATE);
  run(context);
  assert.equal(readdirSync(dir), [`${validationKey(context)}.json`]);
  assert.ok(existsSync(join(dir, `${validationKey(context)}.json`)));
});

test('the cached plugin names the version the validator engine itself reports (without starting it per synthesis)', () => {
  cacheCloudFormationValidation();
  const fromCdk = createRequire(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json'));
  const engine = fromCdk('@aws/cloudformation-validate') as { version(): string };
  const plugin = new CloudFormationValidatePlugin();
  assert.is(plugin.version, engine.version());
  assert.equal(plugin.ruleIds, [engine.version()]);
});

test.run();
