// The commands the CLI suggests (`dlq list` after an emit, serve or balance dead-lettered events, a rebuild, and now
// `dlq redrive` after `dlq list`) dropped the --data-dir, --schemas and --extensions the user gave: pasted into a
// shell they ran against ./.eventlake. They now repeat the global options, quoted for a POSIX shell.

import { join, resolve } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { followUp, shellWord } from '../../cli/follow-up.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { shellWords, suggestedAfter } from '../support/shell-words.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('suggested eventlake commands repeat the global options');


/** A data dir whose name needs quoting, with one stored deposit dead-lettered on both projections. */
async function lakeWithDeadLetters(): Promise<string> {
  const dataDir = join(tempDir(), "Bob's lake $HOME");
  const local = await openLocalEventlake({ dataDir });
  try {
    const [stored] = await local.lake.emit(SAMPLES['cash_deposit']!);
    for (const target of ['balances', 'statement']) await local.deadLetters.add({ id: stored!.id, target, error: 'boom', attempts: 8, failedAt: 0 });
  } finally {
    await local.close();
  }
  return dataDir;
}

test('a word with spaces, quotes or $ reaches the shell\'s command as that one word', () => {
  const words = ["Bob's lake", '$HOME', 'a"b', 'back\\slash', '*', 'plain/path-1.x'];
  assert.equal(shellWords(words.map(shellWord).join(' ')), words);
  assert.is(shellWord('/srv/lake-1'), '/srv/lake-1');
});

test('the default data dir, no schemas and no extensions leave the bare command', () => {
  assert.is(followUp({ dataDir: resolve('.eventlake'), schemaFolders: [] })('dlq', 'list'), 'eventlake dlq list');
});

test('every global option given is repeated before the command, paths made absolute', () => {
  const line = followUp({ dataDir: '/srv/lake', schemaFolders: ['/a', '/b'], extensions: 'ext.ts', config: 'c.json', target: 'local' })('dlq', 'list');
  assert.is(line, `eventlake --data-dir /srv/lake --schemas /a --schemas /b --extensions ${resolve('ext.ts')} --config ${resolve('c.json')} --target local dlq list`);
});

test('dlq list suggests the redrive, which pasted into a shell redrives the same data dir\'s letters', async () => {
  const dataDir = await lakeWithDeadLetters();
  const r = await runCli(['--data-dir', dataDir, 'dlq', 'list', '--projection', 'balances']);
  assert.is(r.code, 0, r.stderr);
  const [, suggested] = /^eventlake: once their cause is fixed, deliver them again: (.*)\n$/.exec(r.stderr) ?? [];
  assert.ok(suggested, r.stderr);
  const [program, ...args] = shellWords(suggested!);
  assert.equal([program, ...args], ['eventlake', '--data-dir', dataDir, 'dlq', 'redrive', '--projection', 'balances']);
  const redrive = await runCli([...args, '--json']);
  assert.is(redrive.code, 0, redrive.stderr);
  assert.equal(JSON.parse(redrive.stdout), { redriven: 1, failed: 0 });
});

test('snapshot take warns of dead letters left out of a snapshot with the redrive for that projection and data dir', async () => {
  const dataDir = await lakeWithDeadLetters();
  const r = await runCli(['--data-dir', dataDir, 'snapshot', 'take', '--projection', 'balances']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(suggestedAfter(r.stderr, 'redrive them ('), ['eventlake', '--data-dir', dataDir, 'dlq', 'redrive', '--projection', 'balances']);
});

test('dlq list --json suggests nothing: its stderr stays empty for scripts', async () => {
  const r = await runCli(['--data-dir', await lakeWithDeadLetters(), 'dlq', 'list', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
});

test('a data dir from EVENTLAKE_DATA_DIR is spelled as --data-dir: the shell the line is pasted into may not set it', async () => {
  const dataDir = await lakeWithDeadLetters();
  const before = process.env['EVENTLAKE_DATA_DIR'];
  process.env['EVENTLAKE_DATA_DIR'] = dataDir;
  try {
    const r = await runCli(['dlq', 'list']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, `deliver them again: eventlake --data-dir ${shellWord(dataDir)} dlq redrive\n`);
  } finally {
    if (before === undefined) delete process.env['EVENTLAKE_DATA_DIR'];
    else process.env['EVENTLAKE_DATA_DIR'] = before;
  }
});

test.run();
