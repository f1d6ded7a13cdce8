// Lambda refuses a function whose environment takes more than 4 KB, and the rule digests grow with the rule types (about
// 38 bytes per type and projection): a stack whose digests would take more than RULE_DIGESTS_BUDGET still deploys,
// without them (its functions record and count as a stack synthesized before digests), and the synth warns.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Duration, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import type { GivenRules } from '../../adapters/aws/lambda/given-rules.ts';
import { PROJECTIONS } from '../../adapters/aws/lambda/projections.ts';
import { lakeFunction } from '../../infra/functions.ts';
import { RULE_DIGESTS_BUDGET, withinDigestsBudget } from '../../infra/rules-fingerprints.ts';
import { ruleDigests } from '../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { tempDir } from '../support/tmp.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const upcasters = SchemaRegistry.load().upcasterSteps();
const FINGERPRINTS = { balances: 'balances v1 0123456789ab', statement: 'statement v1 ba9876543210' };
/** `count` rule types of a realistic name length (24 characters). */
const types = (count: number) => Array.from({ length: count }, (_, i) => `parcel_fee_adjustment_${String(i).padStart(2, '0')}`);

/** The synth's digests of the built-ins, with `extra` more rule types in both projections. */
function given(extra: number): GivenRules {
  const digests = Object.fromEntries(PROJECTIONS.map((p) => [p.name, { ...ruleDigests(p, upcasters)!, ...Object.fromEntries(types(extra).map((t) => [t, '0123456789ab'])) }]));
  return { form: 'synthform', fingerprints: FINGERPRINTS, digests };
}

/** A minimal schema of `type`, version 1. */
const schemaOf = (type: string) => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema', $id: `https://example.com/schemas/${type}/v1.json`, type: 'object',
  properties: { EventType: { const: type }, SchemaVersion: { const: 1 }, RequestId: { type: 'string' }, EventTimeStamp: { type: 'integer' } },
  required: ['EventType', 'SchemaVersion', 'RequestId', 'EventTimeStamp'],
});

const test = suite('rule digests within a function environment\'s budget');

test('the built-ins\' digests and fifteen more rule types are given whole', () => {
  assert.equal(withinDigestsBudget(given(15)), { given: given(15) });
});

test('digests over the budget are left out, the fingerprints and their form kept, and the warning says why and what follows', () => {
  const { given: kept, omitted } = withinDigestsBudget(given(40));
  assert.equal(kept, { form: 'synthform', fingerprints: FINGERPRINTS });
  assert.match(omitted!, LAMBDA_ENV.ruleDigests);
  assert.match(omitted!, `over the ${RULE_DIGESTS_BUDGET}`);
  assert.match(omitted!, 'a projector counts every event');
});

test('a projector whose extensions module has too many rule types for the budget is given the fingerprints only, with a synth warning', () => {
  const [dir, schemas] = [tempDir(), tempDir()];
  // Each rule type needs a schema (eventlake --extensions refuses a rule for a type none defines).
  for (const type of types(40)) writeFileSync(join(schemas, `${type}.v1.json`), JSON.stringify(schemaOf(type)));
  const module = join(dir, 'many.extensions.mjs');
  const rules = types(40).map((t) => `  ${t}: { decide: () => ({ counters: [] }) },`).join('\n');
  writeFileSync(module, `export const balanceRules = {\n${rules}\n};\n`);
  // No stack listed for bundling: the function's asset is a placeholder, its environment the one a deploy gets.
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'ManyRuleTypes');
  const spec = { entry: 'projector', functionName: 'projector', description: 'projector', serviceName: 'projector', environment: {}, memorySize: 256, timeout: Duration.minutes(1) } as const;
  const fn = lakeFunction(stack, 'Projector', spec, { metricsNamespace: 'eventlake', userCode: { schemaFolders: [schemas], extensions: module } });
  // Read off the constructs, not a synthesized template: its validation costs seconds, and it would hold the same.
  const env = (stack.resolve((fn.node.defaultChild as CfnFunction).environment) as { variables: Record<string, unknown> }).variables;
  assert.ok(LAMBDA_ENV.rulesFingerprints in env && LAMBDA_ENV.rulesForm in env);
  assert.not.ok(LAMBDA_ENV.ruleDigests in env);
  const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
  assert.ok(warnings.some((w) => w.includes(`${LAMBDA_ENV.ruleDigests}) would take`) && w.includes('are left out')), warnings.join('\n'));
});

test.run();
