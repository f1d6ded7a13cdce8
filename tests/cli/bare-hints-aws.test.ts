// The AWS-only hints (a PITR restore that will not become ACTIVE, one that outlasts a verification, an index repair
// that stopped, a snapshot that cannot be restored) name their commands as the CLI spells them, with --target and
// --config: a bare `eventlake generations drop` would drop a local generation, not the stack's.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { balancesProjection } from '../../domain/balances.ts';
import { respelled } from '../../domain/command-spelling.ts';
import { InvalidArgumentError, StorageError, TransientError } from '../../domain/errors.ts';
import { repairStep } from '../../adapters/aws/dynamodb-index-repair-steps.ts';
import { planRebuild } from '../../projections/rebuild/plan.ts';
import type { EventReader } from '../../projections/rebuild/read-events.ts';
import { SnapshotNotRestorableError } from '../../projections/rebuild/snapshot-errors.ts';
import { referenceOf } from '../../projections/rebuild/verify-reference.ts';
import { rejects } from '../support/async.ts';
import { MemoryEventIndex } from '../support/fakes/memory-event-index.ts';
import { hotEntry } from '../support/index-entries.ts';
import { inVirtualTime, refusedWith } from '../support/virtual-time.ts';
import { G2, killedDuringRestore, pitrCoordinator, plan, resetWorld, restored, stores } from '../adapters/aws/pitr-rebuild-fake.ts';
import * as restorable from '../adapters/aws/pitr-restorable-fake.ts';

const test = suite('AWS-only hints spell their commands with the global options');
test.before.each(() => {
  resetWorld();
  restorable.resetWorld();
});

const AWS = ['--target', 'aws', '--config', '/etc/lake.json'];
const spell = (...args: string[]) => ['eventlake', ...AWS, ...args].join(' ');
const messageOf = (error: unknown) => (respelled(error, spell) as Error).message;

test('a restored table that will not become ACTIVE names generations drop with --target and --config', async () => {
  const { rebuilder, positions } = pitrCoordinator(2_000);
  killedDuringRestore(positions);
  restored(G2, 'INACCESSIBLE_ENCRYPTION_CREDENTIALS');
  const error = refusedWith(await inVirtualTime(() => rebuilder.rebuild(plan)), StorageError);
  assert.match(error.message, '(eventlake generations drop 2 --projection balances)');
  assert.match(messageOf(error), `drop the generation (eventlake ${AWS.join(' ')} generations drop 2 --projection balances) and run the rebuild again`);
});

test('a verification whose restore outlasts the wait names the drop of its scratch generation the same way', async () => {
  const deps = { ...stores(50), index: {} } as unknown as Parameters<typeof referenceOf>[0];
  const options = { projection: balancesProjection, generation: 1, against: 'snapshot' as const, mark: 42, reader: {} as EventReader };
  const error = await rejects(() => referenceOf(deps, options), TransientError);
  assert.match(messageOf(error), `once its restore is done: eventlake ${AWS.join(' ')} generations drop 2 --projection balances`);
});

test('an index repair that stopped names repair index with --config (bare, with --target aws)', async () => {
  const throttled = Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
  const error = await rejects(() => repairStep('scan', { indexTable: 'lake-index', region: 'eu-west-1' }, () => Promise.reject(throttled)), TransientError);
  assert.match(error.message, 'run eventlake --target aws repair index again (safe to re-run)');
  assert.match(messageOf(error), `run eventlake ${AWS.join(' ')} repair index again (safe to re-run)`);
  assert.instance(respelled(error, spell), TransientError);
});

test('a snapshot DynamoDB refuses to restore names snapshot list, also once the CLI added the rebuild to run again', () => {
  const error = new SnapshotNotRestorableError('pitr-1', 'eventlake-balances-g1', 'TableNotFoundException');
  assert.match(messageOf(error), `(eventlake ${AWS.join(' ')} snapshot list tells which are not restorable)`);
  const rerun = error.withRerun('eventlake --target aws rebuild --projection balances');
  assert.match(messageOf(rerun), `DynamoDB can still restore (eventlake ${AWS.join(' ')} snapshot list tells which are not restorable), or from the start of the log when there is none: eventlake --target aws rebuild --projection balances`);
  assert.match(messageOf(error.forVerification()), `verify again, which reads the newest snapshot DynamoDB can still restore (eventlake ${AWS.join(' ')} snapshot list`);
});

test('a plan verified against a snapshot none of which is restorable names snapshot list the same way', async () => {
  restorable.world.markers = [restorable.marker(3, 5, 2)];
  restorable.world.tables.set(3, restorable.pitrOff);
  const index = new MemoryEventIndex();
  await index.put([1, 2, 3].map((i) => hotEntry(`e${i}`, restorable.NOW - 60 * restorable.DAY + i * 1000)));
  const ports = { index, snapshots: restorable.pitrSnapshots() };
  const error = await rejects(() => planRebuild(ports, { projection: 'balances', from: restorable.NOW - restorable.DAY, against: ['log', 'snapshot'] }), InvalidArgumentError);
  assert.match(messageOf(error), `(eventlake ${AWS.join(' ')} snapshot list shows why)`);
});

test.run();
