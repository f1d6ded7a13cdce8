// `eventlake status` after an emit was killed: events durable in the journal but not indexed yet are counted beside
// the indexed ones, with the command that indexes them, in text and --json, whether the data dir is opened writable or
// read-only (which writes nothing). Once a catch-up indexed them, none are pending and the line is as before.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { fixtureCopiesOf } from '../support/fixture-copies.ts';
import { killedAppendDataDir } from '../support/killed-append-data-dir.ts';
import { appendPastIndexer } from '../support/stalled-indexer.ts';

const test = suite('eventlake status: events durable in the journal, not yet indexed');
const killed = fixtureCopiesOf(() => killedAppendDataDir(3, 2));

interface StatusJson {
  events: number;
  journalNotIndexed?: { events: number; indexerCursor: number; journalEnd: number };
}

async function statusJson(...args: string[]): Promise<StatusJson> {
  const r = await runCli([...args, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusJson;
}

/** Every file under `dir` with its size and mtime: what a read that writes nothing leaves as it was. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort().map((f) => {
    const s = statSync(join(dir, f));
    return `${f} ${s.size} ${s.mtimeMs}`;
  });
}

test('after an append killed past its journal fsync, the text counts its events as durable, not yet indexed, and names the fix', async () => {
  const { dir } = await killed();
  const r = await runCli(['--data-dir', dir, 'status']);
  assert.is(r.code, 0, r.stderr);
  const line = `events:       3 indexed (last position 3), 2 more durable in the journal, not yet indexed (\`eventlake --data-dir ${dir} run\` or any emit or read indexes them)`;
  assert.ok(r.stdout.split('\n').includes(line), r.stdout);
});

test('--json keeps `events` as the indexed count and adds journalNotIndexed', async () => {
  const { dir } = await killed();
  const json = await statusJson('--data-dir', dir);
  assert.is(json.events, 3);
  assert.is(json.journalNotIndexed?.events, 2);
  assert.ok(json.journalNotIndexed!.journalEnd > json.journalNotIndexed!.indexerCursor);
});

test('read-only, status counts them too and changes no file', async () => {
  const { dir } = await killed();
  const before = files(dir);
  const json = await statusJson('--data-dir', dir, '--read-only');
  assert.equal([json.events, json.journalNotIndexed?.events], [3, 2]);
  assert.equal(files(dir), before);
});

test('events an indexer has not reached (appends recorded, not indexed) are counted as well', async () => {
  const { dir } = await killed();
  await appendPastIndexer(dir, 2); // records the killed append first, as any appender does, then adds six events
  const json = await statusJson('--data-dir', dir);
  assert.equal([json.events, json.journalNotIndexed?.events], [3, 8]);
});

test('once a read caught up, every event is counted as indexed, none pending, and the line is the plain one', async () => {
  const { dir } = await killed();
  assert.is((await runCli(['--data-dir', dir, 'balance', 'DE44-5001-0517'])).code, 0);
  const r = await runCli(['--data-dir', dir, 'status']);
  assert.match(r.stdout, /^events: +5 \(last position 5\)$/m);
  assert.equal(await statusJson('--data-dir', dir).then((j) => [j.events, j.journalNotIndexed?.events]), [5, 0]);
});

test.run();
