// A projection rule that throws while a promotion tops its generation up, before it switches reads: the promotion
// stops with PROJECTION_RULE_FAILED naming the event and the same command, the live generation stays live, and once the
// rule is fixed the same promotion continues the top-up from its checkpoint and promotes with every event.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { rejects } from '../support/async.ts';
import { ACCOUNT, during, FULL_BALANCE, rule, UNLUCKY, withPromoteRuleLake, type PromoteRuleLake } from './promote-rule-lake.ts';

const test = suite('a rule that throws in a promotion\'s top-up before the switch');

/** Logs the payments (dispatch folds them into generation 1 while the rule accepts them), then makes the rule refuse. */
async function loggedThenRefused({ local }: PromoteRuleLake): Promise<void> {
  await local.lake.emit(during());
  rule.refusing = true;
}

const promote = ({ coordinator, check }: PromoteRuleLake) => coordinator.promote('balances', 2, [check], { batchSize: 1 });

test('the promotion stops with PROJECTION_RULE_FAILED naming the event, that reads were not switched, and the same command', () =>
  withPromoteRuleLake(async (lake) => {
    await loggedThenRefused(lake);
    const error = await rejects(() => promote(lake), ProjectionRuleError);
    assert.equal([error.code, error.projection, error.eventId], ['PROJECTION_RULE_FAILED', 'balances', UNLUCKY]);
    assert.match(error.message, 'the promotion stopped there before switching reads: generation 1 stays live, and generation 2 keeps its top-up at its last checkpoint');
    assert.match(error.message, 'then run the same command again, which continues generation 2\'s top-up from that checkpoint and promotes it');
  }));

test('the live generation stays live and keeps every event', () =>
  withPromoteRuleLake(async (lake) => {
    await loggedThenRefused(lake);
    await rejects(() => promote(lake), ProjectionRuleError);
    assert.is(await lake.local.store.liveGeneration('balances'), 1);
    assert.is(await lake.local.lake.balance(ACCOUNT), FULL_BALANCE);
  }));

test('once the rule is fixed, the same promotion continues the top-up and promotes the generation with every event', () =>
  withPromoteRuleLake(async (lake) => {
    await loggedThenRefused(lake);
    await rejects(() => promote(lake), ProjectionRuleError);
    rule.refusing = false;
    const promoted = await promote(lake);
    assert.equal([promoted.generation, promoted.previous], [2, 1]);
    assert.is(await lake.local.store.liveGeneration('balances'), 2);
    assert.is(await lake.local.lake.balance(ACCOUNT), FULL_BALANCE);
  }));

test.run();
