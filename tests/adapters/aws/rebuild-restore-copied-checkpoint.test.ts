// A restored DynamoDB table holds every item of its source generation, that generation's rebuild checkpoint included
// (most often `promoted`), until the rebuild that asked for the restore writes its own. A generation a killed run left
// that way, restored from another snapshot than the next run's plan, is a leftover to drop like one with no checkpoint:
// the copied checkpoint neither keeps it as a retired generation nor stands for its own. One whose checkpoint is its
// own rebuild's (naming the snapshot restored into it) is kept, whatever its phase.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import type { SnapshotInfo } from '../../../domain/ports/snapshot-store.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { ddb, G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, snap, world } from './pitr-rebuild-fake.ts';

const G3 = 'eventlake-balances-g3';
/** A snapshot of balances generation 1 taken a minute before the plan's: what the killed run was restoring. */
const earlier: SnapshotInfo = { ...snap, id: 'balances-g1-earlier', takenAt: snap.takenAt - 60_000, highWaterMark: 40 };

/** Puts a rebuild checkpoint into a table, as the restore copies it or a rebuild writes it. */
function holds(table: string, checkpoint: { planKey: string; snapshotId: string | null; phase: string }): void {
  const json = JSON.stringify({ ...checkpoint, replayedThrough: 10 });
  world.tables.get(table)!.items.set('M#checkpoint', { pk: { S: 'M#checkpoint' }, json: { S: json } });
}

/** Generation 2 as a killed run left it: the restore of `earlier` done, holding `checkpoint`. */
function leftover(positions: Map<string, number>, checkpoint: { planKey: string; snapshotId: string | null; phase: string }): void {
  killedDuringRestore(positions, earlier.takenAt);
  restored(G2);
  holds(G2, checkpoint);
  setTimeout(() => restored(G3), 20);
}

const test = suite('rebuild: a restored generation holding the checkpoint it copied from its source');
test.before.each(() => {
  resetWorld();
  world.markers = [earlier, snap];
});

test('a done restore of another snapshot holding its source\'s promoted checkpoint (of a rebuild from nothing) is dropped', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  leftover(positions, { planKey: 'empty||v1', snapshotId: null, phase: 'promoted' });
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, report.resumed], [3, false]);
  assert.equal(world.dropped, [2]);
  assert.equal(world.tables.has(G2), false, 'its table is deleted, not left listed as a retired generation');
});

test('a done restore of another snapshot holding its source\'s checkpoint that names the snapshot the source was restored from is dropped', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  // Generation 1 was itself a rebuild, from a snapshot of generation 0.
  const ofG0: SnapshotInfo = { ...snap, id: 'balances-g0-old', generation: 0, takenAt: snap.takenAt - 86_400_000 };
  world.markers = [ofG0, earlier, snap];
  leftover(positions, { planKey: `${ofG0.id}||v1`, snapshotId: ofG0.id, phase: 'promoted' });
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, world.dropped], [3, [2]]);
});

test('a restored generation whose checkpoint is its own rebuild\'s, naming the snapshot restored into it, is kept', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  leftover(positions, { planKey: `${earlier.id}||v1`, snapshotId: earlier.id, phase: 'promoted' });
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, world.dropped], [3, []]);
  assert.equal(ddb.commandCalls(DeleteTableCommand).map((c) => c.args[0].input.TableName), [], 'its table is not deleted');
  assert.ok(world.tables.has(G2));
});

test('a checkpoint naming a snapshot whose marker is gone keeps the generation: nothing shows it was copied', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  leftover(positions, { planKey: 'gone||v1', snapshotId: 'balances-g0-gone', phase: 'promoted' });
  const report = await rebuilder.rebuild(plan);
  assert.equal([report.generation, world.dropped], [3, []]);
});

test('naming such a generation to resume is refused saying it is a restore of another snapshot, not a finished rebuild', async () => {
  const { rebuilder, positions } = pitrCoordinator();
  leftover(positions, { planKey: 'empty||v1', snapshotId: null, phase: 'promoted' });
  const error = await rejects(() => rebuilder.rebuild(plan, { generation: 2 }), InvalidArgumentError);
  assert.match(error.message, 'balances generation 2 is a restore of another snapshot than this plan\'s, left by a stopped rebuild, not one to resume');
  assert.equal(world.dropped, []);
});

test.run();
