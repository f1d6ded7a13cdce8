// The rules fingerprints a stack gives its rebuild function: computed at synth from the sources it bundles, with the
// user's schema folders and extensions module, equal to what the CLI computes for the same projections in the same
// checkout, so the generations the function records compare as 'same' or 'other' from the CLI. One synth of the whole
// stack (bundling skipped: the variables are set whether or not esbuild runs), one of a lone pre-bundled function.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { balancesProjection } from '../../domain/balances.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { lakeFunction } from '../../infra/functions.ts';
import { rulesFingerprint } from '../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const USER = ['--schemas', join(FIXTURE, 'schemas'), '--extensions', join(FIXTURE, 'extensions.ts')];

type Env = Record<string, unknown>;
type Resources = Record<string, { Properties: { Environment: { Variables: Env } } }>;

/** The variables of each function of a stack with the fixture's schema folders and extensions module, synthesized once. */
const envs = (() => {
  let synthesized: Record<string, Env> | undefined;
  return (): Record<string, Env> => {
    if (synthesized) return synthesized;
    // No stack listed for bundling: the functions' assets are placeholders, the template is the one a deploy gets.
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new EventLakeStack(app, 'Rules', { lake: { schemaFolders: [join(FIXTURE, 'schemas')], extensions: join(FIXTURE, 'extensions.ts') } });
    const resources = Template.fromStack(stack).toJSON().Resources as Resources;
    const envOf = (fn: { node: { defaultChild?: unknown } }) => resources[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment.Variables;
    const { indexer, rebuild, compaction, projectors } = stack.lake;
    synthesized = { indexer: envOf(indexer), rebuild: envOf(rebuild), compaction: envOf(compaction), ...Object.fromEntries([...projectors].map(([name, fn]) => [`projector ${name}`, envOf(fn)])) };
    return synthesized;
  };
})();

/** The running rules `eventlake status` reports per projection, with the options given. */
async function cliRunning(...options: string[]): Promise<Record<string, string>> {
  const r = await runCli(['--data-dir', await emptyDataDir(), ...options, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as { projections: { name: string; rules: { running: string } }[] };
  return Object.fromEntries(status.projections.map((p) => [p.name, p.rules.running]));
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
  const stack = new Stack(new App(), 'Prebundled');
  const spec = { entry: 'rebuild', functionName: 'rebuild', description: 'rebuild', serviceName: 'rebuild', environment: {}, memorySize: 256, timeout: Duration.minutes(1) } as const;
  lakeFunction(stack, 'Rebuild', spec, { metricsNamespace: 'eventlake', code: Code.fromInline('export const handler = async () => {};') });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function') as Resources;
  const env = Object.values(functions)[0]!.Properties.Environment.Variables;
  assert.ok(Object.keys(env).length > 0);
  assert.not.ok(LAMBDA_ENV.rulesFingerprints in env);
});

test.run();
