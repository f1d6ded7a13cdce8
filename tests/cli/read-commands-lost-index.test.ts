// Commands that only read refuse a data dir that lost index.db, naming `eventlake repair index`, and create nothing:
// an index.db made again from the ingest journal would miss the events compaction moved, and reads would answer
// from it without a word.

import { existsSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { loseIndex } from '../support/index-repair-data-dir.ts';

const READS: readonly (readonly string[])[] = [
  ['balance'], ['events', '--since', '0'], ['query', 'SELECT count(*) FROM events'], ['verify'], ['status'],
  ['rebuild', '--projection', 'balances', '--from', '0', '--dry-run'],
];

const test = suite('read commands and a data dir that lost index.db (CLI)');

test('a read command on a data dir without index.db is refused (INDEX_LOST) naming the data dir and repair index; no index.db is made', async () => {
  const dir = await healthyDataDir();
  loseIndex(dir);
  for (const args of READS) {
    const r = await runCli(['--data-dir', dir, ...args]);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, `INDEX_LOST: dataDir: ${dir} holds stored events`, args.join(' '));
    assert.match(r.stderr, `eventlake --data-dir ${dir} repair index`, args.join(' '));
    assert.not.ok(existsSync(dataDirLayout(dir).indexDb), `${args.join(' ')} made an index.db`);
  }
});

test('after repair index, a read command answers from every event, the compacted and archived ones included', async () => {
  const dir = await healthyDataDir();
  const before = await runCli(['--data-dir', dir, 'events', '--since', '0', '--json']);
  loseIndex(dir);
  assert.is((await runCli(['--data-dir', dir, 'repair', 'index'])).code, 0);
  const after = await runCli(['--data-dir', dir, 'events', '--since', '0', '--json']);
  assert.is(after.code, 0, after.stderr);
  const ids = (out: string) => out.trim().split('\n').map((line) => (JSON.parse(line) as { id: string }).id).sort();
  assert.equal(ids(after.stdout), ids(before.stdout));
});

test.run();
