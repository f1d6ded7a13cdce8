// Commands that only read refuse a --data-dir that is not a data dir (a typo would otherwise create an empty one and
// answer "nothing"), naming --data-dir and how to make one, and create nothing; commands that write still create it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const READS: readonly (readonly string[])[] = [
  ['balance'], ['balance', 'DE44-5001-0517'], ['events', '--since', '0'], ['query', 'SELECT count(*) FROM events'],
  ['archive', 'status'], ['restore', 'status'], ['dlq', 'list'], ['snapshot', 'list'],
  ['rebuild', '--projection', 'balances', '--from', '0', '--dry-run'], ['verify'], ['status'],
];
const FIX = /INVALID_ARGUMENT: --data-dir: .* this command only reads, so it creates nothing: point --data-dir \(or EVENTLAKE_DATA_DIR\) at the folder eventlake writes to, or make a data dir there first \(eventlake demo --data-dir .*, or eventlake --data-dir .* emit FILE\)/;

const test = suite('read commands and a --data-dir that is not a data dir (CLI)');

test('a read command on a path that does not exist is refused naming --data-dir and the fix; nothing is created', async () => {
  for (const args of READS) await assertRefusedBeforeOpen(args, FIX);
});

test('a read command on a folder eventlake did not write is refused, and nothing is added to the folder', async () => {
  const folder = tempDir();
  writeFileSync(join(folder, 'notes.txt'), 'not a lake');
  for (const args of READS) {
    const r = await runCli(['--data-dir', folder, ...args]);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, `--data-dir: ${folder} is not an eventlake data dir (it has no index.db and no journal/catalogue.db)`);
    assert.equal(readdirSync(folder), ['notes.txt'], args.join(' '));
  }
});

test('a read command on a data dir with no event yet answers (an empty answer is not a refusal)', async () => {
  const dataDir = await emptyDataDir();
  for (const args of [['balance'], ['dlq', 'list'], ['snapshot', 'list'], ['archive', 'status']]) {
    const r = await runCli(['--data-dir', dataDir, ...args]);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
});

test('commands that write still create the data dir they are given', async () => {
  const events = join(tempDir(), 'events.ndjson');
  writeFileSync(events, JSON.stringify(SAMPLES['cash_deposit']));
  for (const args of [['emit', events], ['snapshot', 'take'], ['archive', 'run'], ['rebuild', '--projection', 'balances', '--from', '0']]) {
    const dataDir = join(tempDir(), 'lake');
    const r = await runCli(['--data-dir', dataDir, ...args]);
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(existsSync(join(dataDir, 'index.db')), `${args.join(' ')} did not create the data dir`);
  }
});

test.run();
