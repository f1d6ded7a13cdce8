// A projection rule that throws while a promotion tops its generation up after it switched reads, on events that
// reached the generation it replaced in between: the promotion stops with PROJECTION_RULE_FAILED naming the event, the
// switch and the same command; once the rule is fixed, the same promotion (or the same rebuild) finishes the top-up,
// and no event is lost.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { readCheckpoint } from '../../projections/rebuild/replay.ts';
import { rejects } from '../support/async.ts';
import { ACCOUNT, during, FULL_BALANCE, rule, UNLUCKY, withPromoteRuleLake, type PromoteRuleLake } from './promote-rule-lake.ts';

const test = suite('a rule that throws in a promotion\'s top-up after the switch');

/** Right before the switch: the payments are logged and dispatched to generation 1, then the rule refuses 13.13. */
async function arriveBeforeSwitch(local: LocalEventlake): Promise<void> {
  if (rule.refusing) return;
  await local.lake.emit(during());
  rule.refusing = true;
}

/** Runs `body` once the promotion of generation 2 stopped on the rule after its switch, with that error. */
const cutShort = (body: (lake: PromoteRuleLake, error: ProjectionRuleError) => Promise<void>) => withPromoteRuleLake(async (lake) => {
  const error = await rejects(() => promote(lake), ProjectionRuleError);
  await body(lake, error);
}, arriveBeforeSwitch);

const promote = ({ coordinator, check }: PromoteRuleLake) => coordinator.promote('balances', 2, [check], { batchSize: 1 });

test('the promotion stops with PROJECTION_RULE_FAILED naming the event, the switch, and the same command that finishes it', () =>
  cutShort(async (_lake, error) => {
    assert.equal([error.code, error.projection, error.eventId], ['PROJECTION_RULE_FAILED', 'balances', UNLUCKY]);
    assert.match(error.message, 'the promotion stopped there after switching reads to generation 2');
    assert.match(error.message, 'then run the same command again, which finishes generation 2\'s top-up from that checkpoint');
  }));

test('the generation it switched to is left unpromoted in its checkpoint, so that its promotion can be finished', () =>
  cutShort(async ({ local }) => {
    assert.is(await local.store.liveGeneration('balances'), 2);
    assert.is((await readCheckpoint(local, 'balances', 2))?.phase, 'finished');
  }));

test('once the rule is fixed, the same promotion finishes the top-up: no event that reached the replaced generation is lost', () =>
  cutShort(async (lake) => {
    rule.refusing = false;
    const finished = await promote(lake);
    assert.equal([finished.generation, finished.resumed], [2, true]);
    assert.is(await lake.local.lake.balance(ACCOUNT), FULL_BALANCE);
    assert.is((await readCheckpoint(lake.local, 'balances', 2))?.phase, 'promoted');
  }));

test('once the rule is fixed, the same rebuild run again finishes the top-up of the live generation first', () =>
  cutShort(async ({ local, coordinator }) => {
    rule.refusing = false;
    await coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }));
    assert.is(await local.store.liveGeneration('balances'), 2);
    assert.is(await local.lake.balance(ACCOUNT), FULL_BALANCE);
  }));

test('while the rule still throws, the same promotion stops again on the same event, losing nothing', () =>
  cutShort(async (lake) => {
    const again = await rejects(() => promote(lake), ProjectionRuleError);
    assert.equal([again.eventId, again.ruleError], [UNLUCKY, 'Error: unlucky amount 13.13 refused by the rule']);
    rule.refusing = false;
    await promote(lake);
    assert.is(await lake.local.lake.balance(ACCOUNT), FULL_BALANCE);
  }));

test('a rollback cut short after its switch is finished by the same promotion too: its old promoted mark is not taken for done', () => {
  let switches = 0;
  // The first switch promotes generation 2 undisturbed; the payments arrive right before the second, the rollback to 1.
  const onSecondSwitch = async (local: LocalEventlake) => { if (++switches === 2) await arriveBeforeSwitch(local); };
  return withPromoteRuleLake(async ({ local, coordinator, check }) => {
    await coordinator.promote('balances', 2, [check]);
    const rollback = () => coordinator.promote('balances', 1, [rollbackCheck], { batchSize: 1 });
    const rollbackCheck = await coordinator.verify('balances', 1, 'log');
    await rejects(rollback, ProjectionRuleError);
    rule.refusing = false;
    assert.equal((await rollback()).resumed, true);
    assert.is(await local.lake.balance(ACCOUNT), FULL_BALANCE);
  }, onSecondSwitch);
});

test.run();
