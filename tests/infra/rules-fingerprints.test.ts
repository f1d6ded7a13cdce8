// The rules a stack gives the functions that record them (the rebuild function and the projectors): the fingerprints
// (EVENTLAKE_RULES_FINGERPRINTS, EVENTLAKE_RULES_FORM) and each projection's rule digests by event type
// (EVENTLAKE_RULE_DIGESTS), computed at synth from the sources it bundles, with the user's schema folders and extensions
// module, equal to what the CLI computes for the same projections in the same checkout, so the generations the
// functions record compare as 'same' or 'other' from the CLI, and projectors count only the events they fold otherwise
// than a generation's builder. A projector records generation 1's rules before it folds the first events, so it must
// record the synth's reading of the sources, as the rebuild does, not its bundle's. One synth of the whole stack for
// every suite here (they only read its functions' variables), one of a lone pre-bundled function.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { PROJECTIONS } from '../../adapters/aws/lambda/projections.ts';
import { applyToRegistry, loadExtensions } from '../../cli/load-extensions.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { lakeFunction } from '../../infra/functions.ts';
import { withBalanceRules } from '../../projections/extensions.ts';
import { ruleDigests, rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const [SCHEMAS, EXTENSIONS] = [join(FIXTURE, 'schemas'), join(FIXTURE, 'extensions.ts')];
const USER = ['--schemas', SCHEMAS, '--extensions', EXTENSIONS];

/**
 * An App that neither bundles nor validates: the variables are set whether or not esbuild runs (the functions' assets
 * are placeholders, the template is the one a deploy gets), and CDK's built-in CloudFormation validation only reports
 * (its errors become warnings), so it cannot change a template read here; cold, it costs ~10 s of CPU per stack.
 * tests/infra/app.test.ts keeps the validated synthesis.
 */
const NO_CHECKS = { builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } };

type Env = Record<string, unknown>;
type Resources = Record<string, { Properties: { Environment: { Variables: Env } } }>;
type Fn = { node: { defaultChild?: unknown } };

/** The stack with the fixture's schema folders and extensions module, synthesized once, and a function's variables in it. */
const lake = (() => {
  let synthesized: { stack: EventLakeStack; envOf: (fn: Fn) => Env } | undefined;
  return () => {
    if (synthesized) return synthesized;
    const stack = new EventLakeStack(new App(NO_CHECKS), 'Rules', { lake: { schemaFolders: [SCHEMAS], extensions: EXTENSIONS } });
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const envOf = (fn: Fn): Env => resources[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment.Variables;
    return (synthesized = { stack, envOf });
  };
})();

/** The variables of each function of the stack, by function ('projector <name>' for the projectors). */
function envs(): Record<string, Env> {
  const { stack, envOf } = lake();
  const { indexer, rebuild, compaction, projectors } = stack.lake;
  return { indexer: envOf(indexer), rebuild: envOf(rebuild), compaction: envOf(compaction), ...Object.fromEntries([...projectors].map(([name, fn]) => [`projector ${name}`, envOf(fn)])) };
}

/** The running rules `eventlake status` reports per projection, with the options given. */
async function cliRunning(...options: string[]): Promise<Record<string, string>> {
  const r = await runCli(['--data-dir', await emptyDataDir(), ...options, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as { projections: { name: string; rules: { running: string } }[] };
  return Object.fromEntries(status.projections.map((p) => [p.name, p.rules.running]));
}

/** The digests the CLI reads from the fixture's sources (`eventlake --schemas … --extensions …`), by projection. */
async function cliDigests(): Promise<Record<string, Record<string, string> | undefined>> {
  const registry = SchemaRegistry.load({ folders: [SCHEMAS] });
  const loaded = await loadExtensions({ file: EXTENSIONS, argument: 'extensions', where: 'test' });
  applyToRegistry(registry, loaded);
  const projections = withBalanceRules(PROJECTIONS, loaded.balanceRules);
  return Object.fromEntries(projections.map((p) => [p.name, ruleDigests(p, registry.upcasterSteps())]));
}

const test = suite('EventLake: the rules fingerprints the synth gives the rebuild function');

test('the synthesized rebuild function holds the fingerprint of every projection and the form they were read in', () => {
  const env = envs()['rebuild']!;
  const fingerprints = JSON.parse(String(env[LAMBDA_ENV.rulesFingerprints])) as Record<string, string>;
  assert.equal(Object.keys(fingerprints).sort(), ['balances', 'statement']);
  assert.match(fingerprints['balances']!, /^balances v1 [0-9a-f]{12}$/);
  assert.type(env[LAMBDA_ENV.rulesForm], 'string');
});

test('the fingerprints are those the CLI computes with the same schema folders and extensions module', async () => {
  const fingerprints = JSON.parse(String(envs()['rebuild']![LAMBDA_ENV.rulesFingerprints])) as Record<string, string>;
  assert.equal(fingerprints, await cliRunning(...USER));
});

test('they include the user\'s rules: the balances fingerprint is not the built-in rules\' one', async () => {
  const fingerprints = JSON.parse(String(envs()['rebuild']![LAMBDA_ENV.rulesFingerprints])) as Record<string, string>;
  assert.is.not(fingerprints['balances'], (await cliRunning())['balances']);
});

test('the form is the one the CLI reads its sources in (tsx), the form its recorded rules are compared in', () => {
  assert.is(envs()['rebuild']![LAMBDA_ENV.rulesForm], rulesFingerprint(balancesProjection, SchemaRegistry.load().upcasterSteps()).form);
});

test('functions that neither record nor compare rules (all but the rebuild and the projectors) are not given them', () => {
  for (const [name, env] of Object.entries(envs())) {
    if (name !== 'rebuild' && !name.startsWith('projector ')) assert.not.ok(LAMBDA_ENV.rulesFingerprints in env || LAMBDA_ENV.rulesForm in env, name);
  }
});

test('pre-bundled code is not given them: what it was built from is not known to the synth', () => {
  const stack = new Stack(new App(NO_CHECKS), 'Prebundled');
  const spec = { entry: 'rebuild', functionName: 'rebuild', description: 'rebuild', serviceName: 'rebuild', environment: {}, memorySize: 256, timeout: Duration.minutes(1) } as const;
  lakeFunction(stack, 'Rebuild', spec, { metricsNamespace: 'eventlake', code: Code.fromInline('export const handler = async () => {};') });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function') as Resources;
  const env = Object.values(functions)[0]!.Properties.Environment.Variables;
  assert.ok(Object.keys(env).length > 0);
  assert.not.ok(LAMBDA_ENV.rulesFingerprints in env);
});

test.run();

const projectorRules = suite('EventLake: the projectors are given the rules fingerprints');
const rules = (env: Env) => [env[LAMBDA_ENV.rulesFingerprints], env[LAMBDA_ENV.rulesForm]];

projectorRules('every projector holds the fingerprints and form the rebuild function holds', () => {
  const { stack, envOf } = lake();
  const projectors = [...stack.lake.projectors];
  assert.equal(projectors.map(([name]) => name).sort(), ['balances', 'statement']);
  const rebuild = rules(envOf(stack.lake.rebuild));
  assert.type(rebuild[0], 'string');
  for (const [name, fn] of projectors) assert.equal(rules(envOf(fn)), rebuild, name);
});

projectorRules('the fingerprints name each projection the projectors fold', () => {
  const { stack, envOf } = lake();
  const fingerprints = JSON.parse(String(envOf(stack.lake.projectors.get('statement')!)[LAMBDA_ENV.rulesFingerprints])) as Record<string, string>;
  assert.match(fingerprints['statement']!, /^statement v\d+ [0-9a-f]{12}$/);
});

projectorRules('the indexer and the compaction function, which record no rules, are not given them', () => {
  const { stack, envOf } = lake();
  for (const fn of [stack.lake.indexer, stack.lake.compaction]) assert.not.ok(LAMBDA_ENV.rulesFingerprints in envOf(fn));
});

projectorRules.run();

const digests = suite('EventLake: the projectors and the rebuild function are given the rule digests');

digests('every projector holds the digests the rebuild function holds', () => {
  const { stack, envOf } = lake();
  const rebuild = envOf(stack.lake.rebuild)[LAMBDA_ENV.ruleDigests];
  assert.type(rebuild, 'string');
  const projectors = [...stack.lake.projectors];
  assert.equal(projectors.map(([name]) => name).sort(), ['balances', 'statement']);
  for (const [name, fn] of projectors) assert.is(envOf(fn)[LAMBDA_ENV.ruleDigests], rebuild, name);
});

digests('the digests are the CLI\'s reading of the sources, the extensions module\'s rule included', async () => {
  const { stack, envOf } = lake();
  const given = JSON.parse(String(envOf(stack.lake.projectors.get('balances')!)[LAMBDA_ENV.ruleDigests])) as Record<string, Record<string, string>>;
  assert.ok(Object.hasOwn(given['balances']!, 'parcel_fee'), 'the module\'s parcel_fee rule');
  assert.equal(given, await cliDigests());
});

digests('the indexer and the compaction function, which record no rules, are not given them', () => {
  const { stack, envOf } = lake();
  for (const fn of [stack.lake.indexer, stack.lake.compaction]) assert.not.ok(LAMBDA_ENV.ruleDigests in envOf(fn));
});

digests.run();
