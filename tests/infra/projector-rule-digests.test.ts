// The synth gives the projectors and the rebuild function each projection's rule digests by event type
// (EVENTLAKE_RULE_DIGESTS) beside the fingerprints: generations record them, and projectors count only the events they
// fold otherwise than a generation's builder. They are the CLI's reading of the same sources (the user's schema folders
// and extensions module included), not a bundle's. One synth of the whole stack (bundling skipped: the variables are
// set whether or not esbuild runs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { PROJECTIONS } from '../../adapters/aws/lambda/projections.ts';
import { applyToRegistry, loadExtensions } from '../../cli/load-extensions.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { withBalanceRules } from '../../projections/extensions.ts';
import { ruleDigests } from '../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const [SCHEMAS, EXTENSIONS] = [join(FIXTURE, 'schemas'), join(FIXTURE, 'extensions.ts')];

type Env = Record<string, unknown>;
type Resources = Record<string, { Properties: { Environment: { Variables: Env } } }>;

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new EventLakeStack(app, 'ProjectorRuleDigests', { lake: { schemaFolders: [SCHEMAS], extensions: EXTENSIONS } });
const resources = Template.fromStack(stack).toJSON().Resources as Resources;
const envOf = (fn: { node: { defaultChild?: unknown } }): Env => resources[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment.Variables;

/** The digests the CLI reads from the fixture's sources (`eventlake --schemas … --extensions …`), by projection. */
async function cliDigests(): Promise<Record<string, Record<string, string> | undefined>> {
  const registry = SchemaRegistry.load({ folders: [SCHEMAS] });
  const loaded = await loadExtensions({ file: EXTENSIONS, argument: 'extensions', where: 'test' });
  applyToRegistry(registry, loaded);
  const projections = withBalanceRules(PROJECTIONS, loaded.balanceRules);
  return Object.fromEntries(projections.map((p) => [p.name, ruleDigests(p, registry.upcasterSteps())]));
}

const test = suite('EventLake: the projectors and the rebuild function are given the rule digests');

test('every projector holds the digests the rebuild function holds', () => {
  const rebuild = envOf(stack.lake.rebuild)[LAMBDA_ENV.ruleDigests];
  assert.type(rebuild, 'string');
  const projectors = [...stack.lake.projectors];
  assert.equal(projectors.map(([name]) => name).sort(), ['balances', 'statement']);
  for (const [name, fn] of projectors) assert.is(envOf(fn)[LAMBDA_ENV.ruleDigests], rebuild, name);
});

test('the digests are the CLI\'s reading of the sources, the extensions module\'s rule included', async () => {
  const given = JSON.parse(String(envOf(stack.lake.projectors.get('balances')!)[LAMBDA_ENV.ruleDigests])) as Record<string, Record<string, string>>;
  assert.ok(Object.hasOwn(given['balances']!, 'parcel_fee'), 'the module\'s parcel_fee rule');
  assert.equal(given, await cliDigests());
});

test('the indexer and the compaction function, which record no rules, are not given them', () => {
  for (const fn of [stack.lake.indexer, stack.lake.compaction]) assert.not.ok(LAMBDA_ENV.ruleDigests in envOf(fn));
});

test.run();
