// `eventlake snapshot prune` on AWS: a marker DynamoDB can no longer restore is removed whatever the rule, and never
// counts as one of the newest kept, since no rebuild can start from it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { pruneSnapshots } from '../../../cli/commands/snapshot-prune.ts';
import type { EventlakeRuntime } from '../../../projections/runtime.ts';
import { DAY, ddb, marker, NOW, pitrSince, pitrSnapshots, resetWorld, world } from './pitr-restorable-fake.ts';

const test = suite('snapshot prune of PITR markers no longer restorable');
test.before.each(resetWorld);

// No checkpoints: the rebuild lease is a no-op here (its rules are snapshot-prune.test.ts's).
const runtime = () => ({ snapshots: pitrSnapshots() }) as unknown as EventlakeRuntime;
const deleted = () => ddb.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key!['sk']!.S);
const sk = (daysAgo: number, id: string) => `${String(NOW - daysAgo * DAY).padStart(13, '0')}#${id}`;

test('--keep 1 removes a newest marker whose table is gone and keeps the newest restorable one', async () => {
  world.markers = [marker(1, 20), marker(1, 10), marker(2, 2)];
  world.tables.set(1, pitrSince(35));
  const [outcome] = await pruneSnapshots(runtime(), ['balances'], { keep: 1 }, false);
  assert.equal(outcome!.removed.map((s) => [s.id, s.notRestorable]), [['balances-g1-20d', undefined], ['balances-g2-2d', 'table gone']]);
  assert.equal(outcome!.kept.map((s) => s.id), ['balances-g1-10d']);
  assert.equal(deleted(), [sk(20, 'balances-g1-20d'), sk(2, 'balances-g2-2d')]);
});

test('--older-than removes even the newest marker when it is older than PITR\'s earliest restorable time', async () => {
  world.markers = [marker(1, 40)];
  world.tables.set(1, pitrSince(35));
  const [outcome] = await pruneSnapshots(runtime(), ['balances'], { olderThan: NOW - 60 * DAY }, false);
  assert.equal([outcome!.removed.map((s) => s.id), outcome!.kept], [['balances-g1-40d'], []]);
  assert.equal(deleted(), [sk(40, 'balances-g1-40d')]);
});

test.run();
