// `eventlake query` over archived hours that are not restored: the warning names at most ten keys, and the restore
// command it prints runs as printed and restores exactly what the query missed (it once joined keys with commas,
// which `restore --keys` read as one unsafe key).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { restoreCommandFor } from '../../cli/commands/query.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake query: unrestored archived objects (CLI)');

/** The command after `restore them first: eventlake --data-dir DIR `, as the argv a shell would pass. */
function printedRestore(stderr: string, dir: string): string[] {
  const start = `restore them first: eventlake --data-dir ${dir} `;
  const line = stderr.split('\n').find((l) => l.startsWith(start));
  assert.ok(line, `no restore command of ${dir} in:\n${stderr}`);
  return line.slice(start.length).split(' ');
}

test('a few unrestored objects: the printed restore --keys command runs, and the same query then misses nothing', async () => {
  const dir = await healthyDataDir();
  const range = ['--since', '2024-01-01T00:00Z', '--until', '2024-01-01T03:00Z'];
  const before = await runCli(['--data-dir', dir, 'query', ...range]);
  assert.match(before.stderr, /warning: [23] archived object\(s\) in the range are not restored/); // two or more: one key alone hides a bad separator
  const restore = printedRestore(before.stderr, dir);
  assert.is(restore[0], 'restore');
  assert.is(restore[1], '--keys');
  const restored = await runCli(['--data-dir', dir, ...restore]);
  assert.is(restored.code, 0, restored.stderr);
  const after = await runCli(['--data-dir', dir, 'query', ...range]);
  assert.not.match(after.stderr, 'not restored');
});

test('many unrestored objects: ten keys and a count are listed, and the printed --since/--until command restores them all', async () => {
  const dir = await healthyDataDir();
  const before = await runCli(['--data-dir', dir, 'query', 'SELECT count(*) AS n FROM events']);
  const count = Number(/warning: (\d+) archived object/.exec(before.stderr)?.[1]);
  assert.ok(count > 10, before.stderr);
  assert.is(before.stderr.split('\n').filter((l) => l.startsWith('  events/')).length, 10);
  assert.match(before.stderr, `  … ${count - 10} more`);
  const restore = printedRestore(before.stderr, dir);
  assert.equal(restore.slice(0, 2), ['restore', '--since']);
  const restored = await runCli(['--data-dir', dir, ...restore]);
  assert.is(restored.code, 0, restored.stderr);
  const after = await runCli(['--data-dir', dir, 'query', 'SELECT count(*) AS n FROM events']);
  assert.not.match(after.stderr, 'not restored');
});

test("the --since/--until form spans the first key's hour to the end of the last one", () => {
  const keys = Array.from({ length: 11 }, (_, i) => `events/year=2024/month=01/day=01/hour=${String(i + 5).padStart(2, '0')}/segment.ndjson`);
  assert.is(restoreCommandFor(keys), 'eventlake restore --since 2024-01-01T05:00:00Z --until 2024-01-01T16:00:00Z');
  assert.is(restoreCommandFor(keys.slice(0, 2)), `eventlake restore --keys ${keys[0]} ${keys[1]}`);
});

test.run();
