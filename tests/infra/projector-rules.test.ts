// The synth gives every projector the rules fingerprints it gives the rebuild function (EVENTLAKE_RULES_FINGERPRINTS,
// EVENTLAKE_RULES_FORM): a projector records generation 1's rules before it folds the first events, and must record
// the synth's reading of the sources, as the rebuild does, not its bundle's. One synth of the whole stack (bundling
// skipped: the variables are set whether or not esbuild runs).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');

type Env = Record<string, unknown>;
type Resources = Record<string, { Properties: { Environment: { Variables: Env } } }>;

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new EventLakeStack(app, 'ProjectorRules', { lake: { schemaFolders: [join(FIXTURE, 'schemas')], extensions: join(FIXTURE, 'extensions.ts') } });
const resources = Template.fromStack(stack).toJSON().Resources as Resources;
const envOf = (fn: { node: { defaultChild?: unknown } }): Env => resources[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment.Variables;
const rules = (env: Env) => [env[LAMBDA_ENV.rulesFingerprints], env[LAMBDA_ENV.rulesForm]];

const test = suite('EventLake: the projectors are given the rules fingerprints');

test('every projector holds the fingerprints and form the rebuild function holds', () => {
  const projectors = [...stack.lake.projectors];
  assert.equal(projectors.map(([name]) => name).sort(), ['balances', 'statement']);
  const rebuild = rules(envOf(stack.lake.rebuild));
  assert.type(rebuild[0], 'string');
  for (const [name, fn] of projectors) assert.equal(rules(envOf(fn)), rebuild, name);
});

test('the fingerprints name each projection the projectors fold', () => {
  const fingerprints = JSON.parse(String(envOf(stack.lake.projectors.get('statement')!)[LAMBDA_ENV.rulesFingerprints])) as Record<string, string>;
  assert.match(fingerprints['statement']!, /^statement v\d+ [0-9a-f]{12}$/);
});

test('the indexer and the compaction function, which record no rules, are not given them', () => {
  for (const fn of [stack.lake.indexer, stack.lake.compaction]) assert.not.ok(LAMBDA_ENV.rulesFingerprints in envOf(fn));
});

test.run();
