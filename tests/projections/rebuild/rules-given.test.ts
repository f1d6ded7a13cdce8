// Rules fingerprints given to a function (EVENTLAKE_RULES_FINGERPRINTS and EVENTLAKE_RULES_FORM, set by the synth): a
// projection given one reads as it to every caller of rulesFingerprint and folds as before; a value that is not what
// the synth writes is refused, naming the variable; a function without them reads its own code, as before.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { deploymentFrom } from '../../../adapters/aws/lambda/deployment.ts';
import { givenRulesEnvironment, givenRulesFrom, withGivenFingerprints } from '../../../adapters/aws/lambda/given-rules.ts';
import { PROJECTIONS } from '../../../adapters/aws/lambda/projections.ts';
import { createBalancesProjection } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { applyToState, emptyState } from '../../../domain/projection.ts';
import { rulesFingerprint, withGivenRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { variant } from '../../support/samples.ts';

const test = suite('rules fingerprints given to a function');

const GIVEN = { form: 'synthform', fingerprints: { balances: 'balances v1 0123456789ab', statement: 'statement v1 ba9876543210' } };
const upcasters = SchemaRegistry.load().upcasterSteps();

/** The error `fn` throws (or fails the test). */
function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (error) { return error; }
  return assert.unreachable('it did not throw');
}

test('a projection given a fingerprint reads as it, with its form, whatever upcasters the caller passes', () => {
  const given = { fingerprint: 'balances v1 0123456789ab', form: 'synthform' };
  const balances = withGivenRules(createBalancesProjection(), given);
  assert.equal(rulesFingerprint(balances), given);
  assert.equal(rulesFingerprint(balances, upcasters), given);
});

test('a projection given a fingerprint folds as the projection it was given to', () => {
  const payment = variant('incoming_payment', {}) as unknown as DomainEvent;
  const [plain, given] = [emptyState(), emptyState()];
  applyToState(plain, createBalancesProjection(), payment);
  applyToState(given, withGivenRules(createBalancesProjection(), { fingerprint: 'balances v1 0123456789ab', form: 'synthform' }), payment);
  assert.equal([...given.counters], [...plain.counters]);
  assert.ok(plain.counters.size > 0);
});

test('the variables the synth sets read back as the fingerprints it gave', () => {
  assert.equal(givenRulesFrom(givenRulesEnvironment(GIVEN)), GIVEN);
});

test('a function without the variables is given nothing (a stack synthesized before them)', () => {
  assert.is(givenRulesFrom({}), undefined);
});

test('fingerprints without their form are refused, naming the missing variable', () => {
  const error = thrown(() => givenRulesFrom({ [LAMBDA_ENV.rulesFingerprints]: JSON.stringify(GIVEN.fingerprints) }));
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, LAMBDA_ENV.rulesForm);
  assert.match((error as Error).message, 'redeploy the stack');
});

test('fingerprints that are not a JSON object of strings by projection are refused, naming the variable', () => {
  for (const text of ['balances v1 0123456789ab', '["balances v1 0123456789ab"]', '{"balances":1}']) {
    const error = thrown(() => givenRulesFrom({ [LAMBDA_ENV.rulesFingerprints]: text, [LAMBDA_ENV.rulesForm]: 'synthform' }));
    assert.is((error as InvalidArgumentError).argument, LAMBDA_ENV.rulesFingerprints, text);
  }
});

test('a fingerprint given for another version of a projection is not used: the projection reads as its own code', () => {
  const [balances] = withGivenFingerprints([createBalancesProjection()], { form: 'synthform', fingerprints: { balances: 'balances v2 0123456789ab' } });
  assert.equal(rulesFingerprint(balances!, upcasters), rulesFingerprint(createBalancesProjection(), upcasters));
});

test('a deployment with the variables folds projections that read as the given fingerprints', () => {
  const { projections } = deploymentFrom({}, givenRulesEnvironment(GIVEN));
  assert.equal(projections.map((p) => rulesFingerprint(p, upcasters).fingerprint), [GIVEN.fingerprints.balances, GIVEN.fingerprints.statement]);
});

test('a deployment without them folds the built-in projections as before, reading as their own code', () => {
  const { projections } = deploymentFrom({}, {});
  assert.is(projections, PROJECTIONS);
});

test.run();
