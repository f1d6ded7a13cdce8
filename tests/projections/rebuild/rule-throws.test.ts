// A projection rule that throws on an event while a rebuild replays it or a verification folds it: the rebuild stops
// with ProjectionRuleError (naming the projection, the event and the rule's message), its generation kept unfinished
// at its checkpoint, and continues it once the rule is fixed; the verification stops with the same error, changing
// nothing. Local lake (SQLite store): the fresh rebuild meets the rule in its reference fold, a resumed one in the store.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { BalanceRule } from '../../../domain/balances.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { parseAmount } from '../../../domain/money.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import type { LocalEventlake } from '../../../adapters/local/index.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { readCheckpoint } from '../../../projections/rebuild/replay.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('a projection rule that throws during a rebuild or a verification');

const SCHEMAS = resolve(fileURLToPath(new URL('../../../examples/outgoing-payment/schemas', import.meta.url)));
const ACCOUNT = 'DE44-5001-0517';
const UNLUCKY = 'outgoing_payment_7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** Whether the rule refuses 13.13 (a test "fixes" it by turning this off: the rule's text, hence its fingerprint, stays). */
let refusing = false;
const unluckyRule: BalanceRule = {
  decide: (e) => {
    if (refusing && e['Amount'] === '13.13') throw new Error('unlucky amount 13.13 refused by the rule');
    return { counters: [{ key: String(e['SourceAccount']), delta: -parseAmount(String(e['Amount'])) }] };
  },
};

const events = (): DomainEvent[] => [
  { EventType: 'incoming_payment', SchemaVersion: 1, RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e', EventTimeStamp: 1714000000, TargetAccount: ACCOUNT, Amount: '2500.00', SourceInstitution: 'Employer Bank', SourceAccount: 'EMP-0001', Reference: 'salary' },
  { EventType: 'outgoing_payment', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1714007200, SourceAccount: ACCOUNT, Amount: '13.13', TargetInstitution: 'Landlord Bank', TargetAccount: 'NL91-ABNA-0417-1643-00', Reference: 'rent May' },
  { EventType: 'cash_withdrawal', SchemaVersion: 1, RequestId: '9a7b3c2d-1e0f-4a5b-8c6d-7e8f9a0b1c2d', EventTimeStamp: 1714010800, SourceAccount: ACCOUNT, Amount: '200.00', LocationType: 'ATM', Currency: { '50-euro-bills': 4 } },
];

/**
 * Runs `body` on a local lake whose events were emitted and dispatched while the rule still accepted 13.13, then made to
 * refuse it, with a coordinator over it; closes the lake after.
 */
async function withRefusingRule(body: (coordinator: RebuildCoordinator, local: LocalEventlake) => Promise<void>): Promise<void> {
  refusing = false;
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), schemaFolders: [SCHEMAS], balanceRules: { outgoing_payment: unluckyRule } });
  try {
    await local.lake.emit(events());
    await local.catchUp();
    refusing = true;
    await body(new RebuildCoordinator(local, local.projections), local);
  } finally {
    await local.close();
  }
}

/** A rebuild of balances from nothing, as `eventlake rebuild --projection balances --from 0` runs it, one event a batch. */
async function rebuild(coordinator: RebuildCoordinator) {
  return coordinator.rebuild(await coordinator.plan({ projection: 'balances', from: 0 }), { batchSize: 1 });
}

/** The error of a rebuild (or verification) that must stop on the rule. */
const stopped = (run: () => Promise<unknown>): Promise<ProjectionRuleError> => rejects(run, ProjectionRuleError);

test('a rebuild stops on the event its rule throws on with ProjectionRuleError naming the projection, event, position and rule\'s message', () =>
  withRefusingRule(async (coordinator) => {
    const error = await stopped(() => rebuild(coordinator));
    assert.equal([error.code, error.projection, error.eventId, error.eventType], ['PROJECTION_RULE_FAILED', 'balances', UNLUCKY, 'outgoing_payment']);
    assert.is(error.ruleError, 'Error: unlucky amount 13.13 refused by the rule');
    assert.match(error.message, `threw on event ${UNLUCKY} (position 2): Error: unlucky amount 13.13 refused by the rule`);
    assert.match(error.message, 'keeps generation 2 unfinished at its last checkpoint');
    assert.instance(error.cause, Error);
  }));

test('a rebuild stopped by a rule keeps its generation unfinished at the batch before the event, and the live one live', () =>
  withRefusingRule(async (coordinator, local) => {
    await stopped(() => rebuild(coordinator));
    const checkpoint = await readCheckpoint(local, 'balances', 2);
    assert.equal([checkpoint?.phase, checkpoint?.applied, checkpoint?.cursorId], ['replaying', 1, 'incoming_payment_0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e']);
    assert.is(await local.store.liveGeneration('balances'), 1);
  }));

test('a resumed rebuild whose rule still throws stops with ProjectionRuleError too: the store meets the rule, not a reference fold', () =>
  withRefusingRule(async (coordinator) => {
    await stopped(() => rebuild(coordinator));
    const again = await stopped(() => rebuild(coordinator));
    assert.equal([again.eventId, again.ruleError], [UNLUCKY, 'Error: unlucky amount 13.13 refused by the rule']);
    assert.match(again.message, 'then run the same command again, which continues generation 2 from that checkpoint');
  }));

test('once the rule is fixed, the same rebuild continues the unfinished generation, verifies and promotes it', () =>
  withRefusingRule(async (coordinator, local) => {
    await stopped(() => rebuild(coordinator));
    refusing = false;
    const built = await rebuild(coordinator);
    assert.equal([built.generation, built.resumed, built.checkpoint.applied], [2, true, 3]);
    const check = await coordinator.verify('balances', 2, 'log');
    assert.ok(check.passed, JSON.stringify(check.differences));
    await coordinator.promote('balances', 2, [check]);
    assert.is(await local.lake.balance(ACCOUNT), '2286.87');
  }));

test('verifying the live generation against the log stops with ProjectionRuleError when the rule throws, changing nothing', () =>
  withRefusingRule(async (coordinator) => {
    const error = await stopped(() => coordinator.verify('balances', 1, 'log'));
    assert.equal([error.projection, error.eventId], ['balances', UNLUCKY]);
    assert.match(error.message, 'the fold stopped there and changed nothing');
    refusing = false;
    assert.ok((await coordinator.verify('balances', 1, 'log')).passed);
  }));

test.run();
