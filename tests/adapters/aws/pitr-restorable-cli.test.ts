// `eventlake snapshot list` over PITR markers: one DynamoDB can no longer restore is listed with why, so nobody takes
// it for a snapshot to rebuild from.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import type { LocalEventlake } from '../../../adapters/local/local-eventlake.ts';
import { registerSnapshotCommand } from '../../../cli/commands/snapshot.ts';
import { DAY, marker, NOW, pitrSince, pitrSnapshots, resetWorld, world } from './pitr-restorable-fake.ts';

const test = suite('eventlake snapshot list: PITR markers no longer restorable');
test.before.each(() => {
  resetWorld();
  world.markers = [marker(1, 40), marker(1, 10)];
  world.tables.set(1, pitrSince(35));
});

async function snapshotList(args: string[]): Promise<string> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  const lake = { projections: [{ name: 'balances' }], snapshots: pitrSnapshots(), close: async () => {} } as unknown as LocalEventlake;
  registerSnapshotCommand(program, async () => lake);
  const write = process.stdout.write.bind(process.stdout);
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['--data-dir', 'unused', 'snapshot', 'list', ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return out;
}

const earliest = new Date(NOW - 35 * DAY).toISOString();

test('--json carries notRestorable, saying why, on the markers DynamoDB can no longer restore only', async () => {
  const rows = (await snapshotList(['--json'])).trim().split('\n').map((l) => JSON.parse(l) as { id: string; notRestorable?: string });
  assert.equal(rows.map((r) => [r.id, r.notRestorable]), [['balances-g1-40d', `before PITR's earliest restorable time ${earliest}`], ['balances-g1-10d', undefined]]);
});

test('the table gets a notRestorable column, empty for the restorable markers', async () => {
  const [header, old, recent] = (await snapshotList([])).trim().split('\n');
  assert.match(header!, /\bnotRestorable$/);
  assert.match(old!, new RegExp(`before PITR's earliest restorable time ${earliest}$`));
  assert.match(recent!, /\b10$/); // ends at its high-water mark: nothing in bytes or notRestorable
});

test.run();
