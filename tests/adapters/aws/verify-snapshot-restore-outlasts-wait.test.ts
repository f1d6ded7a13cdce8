// Verifying against a snapshot reads it back by restoring it into a scratch generation, dropped right after. On
// DynamoDB a PITR restore can outlast the store's wait, and its table cannot be deleted until it is done: the
// verification's error then says the restore is still running and names the scratch generation left to drop, instead
// of the drop's refusal ("table ... is still being restored") hiding why the verification stopped.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RestoreTableToPointInTimeCommand, TableNotFoundException } from '@aws-sdk/client-dynamodb';
import { balancesProjection } from '../../../domain/balances.ts';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import type { EventReader } from '../../../projections/rebuild/read-events.ts';
import { referenceOf } from '../../../projections/rebuild/verify-reference.ts';
import { rejects } from '../../support/async.ts';
import { ddb, resetWorld, snap, stores, world } from './pitr-rebuild-fake.ts';

const test = suite('verify against a snapshot: a PITR restore that outlasts the wait');
test.before.each(resetWorld);

const options = { projection: balancesProjection, generation: 1, against: 'snapshot' as const, mark: 42, reader: {} as EventReader };

test('fails with TRANSIENT saying the restore still runs, naming the scratch generation left and how to drop it', async () => {
  const deps = { ...stores(50), index: {} } as unknown as Parameters<typeof referenceOf>[0];
  const error = await rejects(() => referenceOf(deps, options), TransientError);
  assert.match(error.message, `snapshot ${snap.id} was not read back in time: its restore into scratch generation 2 of balances is still running`);
  assert.match(error.message, 'drop that generation once its restore is done: eventlake generations drop 2 --projection balances');
  assert.equal(world.dropped, []);
});

test('a scratch generation whose restore is refused at once is dropped, and the refusal is what the verification says', async () => {
  const deps = { ...stores(50), index: {} } as unknown as Parameters<typeof referenceOf>[0];
  ddb.on(RestoreTableToPointInTimeCommand).rejects(new TableNotFoundException({ message: 'Table not found: eventlake-balances-g1', $metadata: {} }));
  const error = await rejects(() => referenceOf(deps, options), InvalidArgumentError);
  assert.match(error.message, `snapshot ${snap.id} cannot be restored from eventlake-balances-g1 (TableNotFoundException)`);
  assert.equal(world.dropped, [2]);
});

test.run();
