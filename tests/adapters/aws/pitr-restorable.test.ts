// DynamoDbPitrSnapshotStore plans only from markers DynamoDB can still restore: the generation's table exists, has
// PITR on, and PITR's earliest restorable time is at or before the marker's. The history is DynamoDB's (35 days at
// most, nothing once the table was dropped), the markers the store's, which outlive it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DescribeContinuousBackupsCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DAY, ddb, described, marker, NOW, pitrOff, pitrSince, pitrSnapshots, resetWorld, world } from './pitr-restorable-fake.ts';

const test = suite('DynamoDbPitrSnapshotStore: restorable markers only');
test.before.each(resetWorld);

test('latestAtOrBefore returns none when every marker at or before T is older than PITR\'s earliest restorable time', async () => {
  world.markers = [marker(1, 50), marker(1, 40)];
  world.tables.set(1, pitrSince(35));
  assert.is(await pitrSnapshots().latestAtOrBefore('balances', NOW - 30 * DAY), undefined);
});

test('latestAtOrBefore returns the newest marker at or before T inside PITR\'s window, read newest first and checked against its table', async () => {
  world.markers = [marker(1, 40), marker(1, 20), marker(1, 10)];
  world.tables.set(1, pitrSince(35));
  assert.equal(await pitrSnapshots().latestAtOrBefore('balances', NOW - 15 * DAY), marker(1, 20));
  assert.equal(ddb.commandCalls(QueryCommand)[0]!.args[0].input, {
    TableName: 'control', KeyConditionExpression: '#pk = :pk AND #sk < :hi', ScanIndexForward: false, ConsistentRead: true,
    ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
    ExpressionAttributeValues: { ':pk': { S: 'SNAP#balances' }, ':hi': { S: String(NOW - 15 * DAY + 1).padStart(13, '0') } }, Limit: 25,
  });
  assert.equal(ddb.commandCalls(DescribeContinuousBackupsCommand).map((c) => c.args[0].input), [{ TableName: 'eventlake-balances-g1' }]);
});

test('latestAtOrBefore skips a newer marker whose table is gone for an older restorable one', async () => {
  world.markers = [marker(1, 10), marker(2, 2)];
  world.tables.set(1, pitrSince(35));
  assert.equal(await pitrSnapshots().latestAtOrBefore('balances', NOW), marker(1, 10));
});

test('latestAtOrBefore skips a newer marker of a table whose PITR was turned off', async () => {
  world.markers = [marker(1, 10), marker(2, 2)];
  world.tables.set(1, pitrSince(35)).set(2, pitrOff);
  assert.equal(await pitrSnapshots().latestAtOrBefore('balances', NOW), marker(1, 10));
});

test('DynamoDB is asked about each table once per call, however many of its markers are skipped', async () => {
  world.markers = [marker(1, 10), marker(2, 3), marker(2, 2), marker(2, 1)];
  world.tables.set(1, pitrSince(35)).set(2, pitrSince(0.5)); // PITR of generation 2 turned on again half a day ago
  const snapshots = pitrSnapshots();
  assert.equal(await snapshots.latestAtOrBefore('balances', NOW), marker(1, 10));
  assert.equal(described(), ['eventlake-balances-g2', 'eventlake-balances-g1']);
  await snapshots.latestAtOrBefore('balances', NOW);
  assert.equal(described(), ['eventlake-balances-g2', 'eventlake-balances-g1', 'eventlake-balances-g2', 'eventlake-balances-g1']);
});

test('latestAtOrBefore reads the markers a page at a time and stops at the page holding the first restorable one', async () => {
  const gone = Array.from({ length: 30 }, (_, i) => marker(2, 1 + i / 100));
  world.markers = [...Array.from({ length: 30 }, (_, i) => marker(1, 20 + i)), marker(1, 10), ...gone];
  world.tables.set(1, pitrSince(35));
  assert.equal(await pitrSnapshots().latestAtOrBefore('balances', NOW), marker(1, 10));
  const pages = ddb.commandCalls(QueryCommand).map((c) => [c.args[0].input.Limit, c.args[0].input.ExclusiveStartKey]);
  assert.equal(pages, [[25, undefined], [25, { at: { N: '25' } }]]);
});

test('list marks each marker DynamoDB can no longer restore with why, and leaves the restorable ones as recorded', async () => {
  world.markers = [marker(1, 40), marker(1, 20), marker(2, 15), marker(3, 5), marker(4, 1)];
  world.tables.set(1, pitrSince(35)).set(3, pitrOff).set(4, pitrSince(2));
  const earliest = new Date(NOW - 35 * DAY).toISOString();
  assert.equal(await pitrSnapshots().list('balances'), [
    { ...marker(1, 40), notRestorable: `before PITR's earliest restorable time ${earliest}` }, marker(1, 20),
    { ...marker(2, 15), notRestorable: 'table gone' }, { ...marker(3, 5), notRestorable: 'PITR off' }, marker(4, 1),
  ]);
  assert.equal(described(), ['eventlake-balances-g1', 'eventlake-balances-g2', 'eventlake-balances-g3', 'eventlake-balances-g4']);
});

test.run();
