// The rule digests by event type a stack's synth gives its functions (EVENTLAKE_RULE_DIGESTS, beside the fingerprints):
// they read back as given, a value that is not what the synth writes is refused naming the variable, and the
// generations the functions record (a remote rebuild's, a projector's first) hold the synth's digests, not their
// bundle's reading of the rules. A function of a stack synthesized before them records the rules' types, as before.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { deploymentFrom } from '../../../adapters/aws/lambda/deployment.ts';
import { givenRulesEnvironment, givenRulesFrom, type GivenRules } from '../../../adapters/aws/lambda/given-rules.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { firstGenerationCheckpoint } from '../../../projections/rebuild/first-generation-rules.ts';
import { localScenarioCopies } from '../../support/local-scenario-copies.ts';
import { thrown } from '../../support/thrown.ts';

// Digests no process here reads from its code: a record holding them came from the synth's.
const BALANCES = { cash_deposit: 'synth0000001', cash_withdrawal: 'synth0000002', incoming_payment: 'synth0000003', inter_account_transfer: 'synth0000004', verify_cash_deposit: 'synth0000005' };
const FINGERPRINTS = { balances: 'balances v1 0123456789ab', statement: 'statement v1 ba9876543210' };
const GIVEN: GivenRules = { form: 'synthform', fingerprints: FINGERPRINTS, digests: { balances: BALANCES } };
const OLDER: GivenRules = { form: 'synthform', fingerprints: FINGERPRINTS };

const test = suite('rule digests given to a function');

test('the variables the synth sets read back as the digests it gave', () => {
  assert.equal(givenRulesFrom(givenRulesEnvironment(GIVEN)), GIVEN);
});

test('fingerprints without digests (a stack synthesized before them) read back without digests', () => {
  const env = givenRulesEnvironment(OLDER);
  assert.not.ok(LAMBDA_ENV.ruleDigests in env);
  assert.equal(givenRulesFrom(env), OLDER);
});

test('digests that are not a JSON object of { event type: digest } objects by projection are refused, naming the variable and the fix', () => {
  const malformed = ['{', '[]', '{"balances":"cash_deposit"}', '{"balances":{"cash_deposit":1}}', '{"balances":["synth0000001"]}', JSON.stringify({ balances: JSON.stringify(BALANCES) })];
  for (const text of malformed) {
    const error = thrown(() => givenRulesFrom({ ...givenRulesEnvironment(OLDER), [LAMBDA_ENV.ruleDigests]: text }), InvalidArgumentError);
    assert.is(error.argument, LAMBDA_ENV.ruleDigests, text);
    assert.match(error.message, 'redeploy the stack', text);
  }
});

test('digests without the fingerprints and their form are refused, naming the variable missing', () => {
  const digests = { [LAMBDA_ENV.ruleDigests]: JSON.stringify(GIVEN.digests) };
  assert.is(thrown(() => givenRulesFrom(digests), InvalidArgumentError).argument, LAMBDA_ENV.rulesForm);
  assert.is(thrown(() => givenRulesFrom({ ...digests, [LAMBDA_ENV.rulesForm]: 'synthform' }), InvalidArgumentError).argument, LAMBDA_ENV.rulesFingerprints);
});

test('a projector given digests records them on generation 1, with the fingerprint; given none, the rules\' types', () => {
  const balances = (given: GivenRules) => deploymentFrom({}, givenRulesEnvironment(given)).projections.find((p) => p.name === 'balances')!;
  const registry = deploymentFrom({}, {}).registry;
  assert.equal(firstGenerationCheckpoint(balances(GIVEN), registry), { rulesFingerprint: FINGERPRINTS.balances, rulesForm: 'synthform', ruleDigests: BALANCES });
  assert.equal(firstGenerationCheckpoint(balances(OLDER), registry), { rulesFingerprint: FINGERPRINTS.balances, rulesForm: 'synthform', rulesTypes: Object.keys(BALANCES) });
});

// A small lake (a day of a few events) to rebuild: what a generation records does not depend on its size.
const lakes = localScenarioCopies({ days: 1, eventsPerDay: 5 });

/** What the generation a rebuild with the deployment `given` makes records of its rules. */
async function rebuiltRecording(given: GivenRules): Promise<Record<string, unknown>> {
  const local = await (await lakes()).open();
  try {
    // As the rebuild function (create-rebuild.ts) builds its coordinator: over the deployment's projections.
    const coordinator = new RebuildCoordinator(local, deploymentFrom({}, givenRulesEnvironment(given)).projections);
    const { generation } = await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    const checkpoint = (await local.store.getCheckpoint('balances', generation)) as Record<string, unknown>;
    return { ruleDigests: checkpoint['ruleDigests'], rulesTypes: checkpoint['rulesTypes'], rulesFingerprint: checkpoint['rulesFingerprint'] };
  } finally {
    await local.close();
  }
}

test('a remote rebuild records the synth\'s digests on the generation it builds', async () => {
  assert.equal(await rebuiltRecording(GIVEN), { ruleDigests: BALANCES, rulesTypes: undefined, rulesFingerprint: FINGERPRINTS.balances });
});

test('a remote rebuild of a stack synthesized before digests records the rules\' types, as before', async () => {
  assert.equal(await rebuiltRecording(OLDER), { ruleDigests: undefined, rulesTypes: Object.keys(BALANCES), rulesFingerprint: FINGERPRINTS.balances });
});

test.run();
