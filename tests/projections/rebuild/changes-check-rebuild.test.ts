// A rebuild or verification of a projection whose rule returns Changes the type refuses (a string delta, from a rule
// in JavaScript) stops with ProjectionRuleError naming the field, as it does on a rule that throws: in the reference
// fold of a fresh rebuild, in the store's replay of a resumed one, in a verification's fold. Before, the fold added
// '5' to 0n as text, and the SQLite store summed the batch's '5's as text: nothing said which rule was at fault.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../../adapters/local/index.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import { ProjectionRuleError } from '../../../domain/projection-errors.ts';
import type { Changes, Projection } from '../../../domain/projection.ts';
import { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('a rebuild or verification of a rule returning a string delta');

const BAD_TS = 1714000060;
const deposit = (ts: number): Record<string, unknown> => ({
  EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: ts, TargetAccount: 'DE44-5001-0517', Amount: '10.00',
  LocationType: 'ATM', Currency: { '10-euro-bills': 1 }, Verified: false,
});
const RULE_ERROR = "TypeError: decide returned counters[0].delta = '5' (a string): return a bigint: 150n, not 1.5 or '1.50' (parseAmount('1.50') gives 150n)";

const x: Projection = {
  name: 'x', version: 1, handles: (e) => e.EventType === 'cash_deposit', related: () => [],
  decide: (e: DomainEvent): Changes => ({ counters: [{ key: 'c', delta: (e.EventTimeStamp === BAD_TS ? '5' : 5n) as bigint }] }),
};

/** A local lake holding three deposits (the second's delta a string, dead-lettered by dispatch), and a coordinator over it. */
async function withLake(body: (coordinator: RebuildCoordinator, local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: join(tempDir(), 'lake'), projections: [x], dispatch: { maxAttempts: 1 } });
  try {
    await local.lake.emit([1714000000, BAD_TS, 1714000120].map(deposit));
    await local.catchUp();
    await body(new RebuildCoordinator(local, local.projections), local);
  } finally {
    await local.close();
  }
}

const rebuild = async (coordinator: RebuildCoordinator) => coordinator.rebuild(await coordinator.plan({ projection: 'x', from: 0 }), { batchSize: 1 });

test('a rebuild stops with ProjectionRuleError naming the field, fresh (its reference fold) and resumed (the store\'s replay)', () =>
  withLake(async (coordinator) => {
    const fresh = await rejects(() => rebuild(coordinator), ProjectionRuleError);
    const resumed = await rejects(() => rebuild(coordinator), ProjectionRuleError);
    for (const error of [fresh, resumed]) assert.equal([error.projection, error.eventType, error.ruleError], ['x', 'cash_deposit', RULE_ERROR]);
    assert.match(resumed.message, 'which continues generation 2');
  }));

test('a verification of the live generation against the log stops with the same error, changing nothing', () =>
  withLake(async (coordinator, local) => {
    const error = await rejects(() => coordinator.verify('x', 1, 'log'), ProjectionRuleError);
    assert.is(error.ruleError, RULE_ERROR);
    assert.equal(Object.fromEntries(await local.lake.balances('x')), { c: '0.10' });
  }));

test.run();
