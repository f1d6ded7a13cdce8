// A projection name as an API user passes it: one the runtime did not load is refused naming `projection` and listing the
// loaded ones, as the CLI's --projection is, instead of reading nothing (balance: undefined) or writing a snapshot of it.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type LocalEventlake, type Projection } from 'eventlake';
import { openLocalEventlake } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const mine: Projection = { name: 'mine', version: 1, handles: () => false, related: () => [], decide: () => ({}) };

async function withLake(fn: (local: LocalEventlake) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-api-'), projections: [mine] });
  try {
    await fn(local);
  } finally {
    await local.close();
  }
}

function assertUnknown(error: unknown): void {
  assert.instance(error, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'projection');
  assert.match((error as Error).message, /"nope"/);
  assert.match((error as Error).message, /balances, statement, mine/);
}

const test = suite('api: an unknown projection is refused, naming it and the loaded ones');

test('lake.balance of an unknown projection is an InvalidArgumentError, not undefined', () => withLake(async (local) => {
  assertUnknown(await local.lake.balance('DE44-5001-0517', 'nope').then(() => undefined, (e: unknown) => e));
}));

test('lake.balances of an unknown projection is an InvalidArgumentError, not an empty map', () => withLake(async (local) => {
  assertUnknown(await local.lake.balances('nope').then(() => undefined, (e: unknown) => e));
}));

test('snapshots.take of an unknown projection is refused and writes no snapshot folder', () => withLake(async (local) => {
  assertUnknown(await local.snapshots.take('nope', 1, 0).then(() => undefined, (e: unknown) => e));
  assert.not.ok(existsSync(join(local.dataDir, 'snapshots', 'nope')));
}));

test('snapshots.list of an unknown projection is refused, not an empty list', () => withLake(async (local) => {
  assertUnknown(await local.snapshots.list('nope').then(() => undefined, (e: unknown) => e));
}));

test('a projection given in options is known to balance and snapshots', () => withLake(async (local) => {
  assert.is(await local.lake.balance('DE44-5001-0517', 'mine'), undefined);
  assert.equal(await local.snapshots.list('mine'), []);
}));

test.run();
