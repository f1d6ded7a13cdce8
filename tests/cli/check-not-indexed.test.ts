// `eventlake check` after an emit was killed: the events durable in the journal past the indexer's cursor are a
// harmless finding with their count and the command that indexes them (text), and `journalNotIndexed` (--json); the
// log stays whole (exit 0). The catalogue's pending identities name the same fix, not an open that indexes nothing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { CHECK_EXIT } from '../../cli/commands/check.ts';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopiesOf } from '../support/fixture-copies.ts';
import { killedAppendDataDir } from '../support/killed-append-data-dir.ts';
import { appendPastIndexer } from '../support/stalled-indexer.ts';

const test = suite('eventlake check: events durable in the journal, not yet indexed');
const killed = fixtureCopiesOf(() => killedAppendDataDir(3, 2));

test('an append killed past its journal fsync is a harmless finding counting its events and naming the fix', async () => {
  const { dir } = await killed();
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.is(r.code, CHECK_EXIT.whole, r.stdout + r.stderr);
  const line = r.stdout.split('\n').find((l) => l.startsWith('journalNotIndexed: '));
  assert.ok(line, r.stdout);
  assert.match(line, /^journalNotIndexed: 2 \(harmless\) — events durable in the journal past the indexer's cursor/);
  assert.ok(line.endsWith(`\`eventlake --data-dir ${dir} run\` (or any emit or read) indexes them`), line);
});

test('--json adds journalNotIndexed and keeps the log whole', async () => {
  const { dir } = await killed();
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  const json = JSON.parse(r.stdout) as { whole: boolean; checked: { indexRows: number }; journalNotIndexed: { events: number; indexerCursor: number; journalEnd: number } };
  assert.equal([json.whole, json.checked.indexRows, json.journalNotIndexed.events], [true, 3, 2]);
  assert.ok(json.journalNotIndexed.journalEnd > json.journalNotIndexed.indexerCursor);
});

test('pending identities of recorded appends name the command that indexes them', async () => {
  const { dir } = await killed();
  await appendPastIndexer(dir, 1); // records the killed append, then journals three more: five wait for the indexer
  const r = await runCli(['--data-dir', dir, 'check']);
  assert.ok(r.stdout.includes(`\npendingIndex: 5 (harmless) — identities still in the journal past the indexer cursor: harmless, \`eventlake --data-dir ${dir} run\` (or any emit or read) indexes them\n`), r.stdout);
  assert.match(r.stdout, /^journalNotIndexed: 5 \(harmless\)/m);
});

test('a data dir indexed to the journal\'s end has no such finding, and journalNotIndexed counts 0', async () => {
  const { dir } = await killed();
  assert.is((await runCli(['--data-dir', dir, 'balance', 'DE44-5001-0517'])).code, 0);
  const r = await runCli(['--data-dir', dir, 'check', '--json']);
  assert.is((JSON.parse(r.stdout) as { journalNotIndexed: { events: number } }).journalNotIndexed.events, 0);
  assert.not.match((await runCli(['--data-dir', dir, 'check'])).stdout, 'journalNotIndexed');
});

test.run();
