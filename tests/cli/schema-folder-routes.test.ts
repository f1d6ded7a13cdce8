// A missing schema folder is refused naming only the route the user gave it by (--schemas, EVENTLAKE_SCHEMAS, the
// config file's "schemaFolders", openLocalEventlake's schemaFolders, schemas check DIR), before anything is created.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/index.ts';
import { checkedSchemaFolders } from '../../cli/schema-folders.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';
import { thrown } from '../support/thrown.ts';

const FIX = 'give an existing folder that holds the <event_type>.v<N>.json schemas (e.g. outgoing_payment.v1.json), as a path from';

const test = suite('schema folder routes');

test('a missing --schemas folder names --schemas alone, from the current directory', () => {
  const error = thrown(() => checkedSchemaFolders({ schemas: ['./no-such-schemas'] }, { EVENTLAKE_SCHEMAS: tempDir() }), InvalidArgumentError);
  assert.is(error.message, `--schemas: schema folder ${resolve('no-such-schemas')} does not exist: ${FIX} the current directory`);
});

test('a missing EVENTLAKE_SCHEMAS folder names EVENTLAKE_SCHEMAS when no --schemas is given', () => {
  const error = thrown(() => checkedSchemaFolders({}, { EVENTLAKE_SCHEMAS: './no-such-schemas' }), InvalidArgumentError);
  assert.is(error.argument, 'EVENTLAKE_SCHEMAS');
});

test('existing --schemas folders are returned absolute', () => {
  const dir = tempDir();
  assert.equal(checkedSchemaFolders({ schemas: [dir] }, {}), [dir]);
});

test('eventlake with EVENTLAKE_SCHEMAS naming a missing folder prints EVENTLAKE_SCHEMAS and the fix, exit 1', async () => {
  process.env['EVENTLAKE_SCHEMAS'] = join(tempDir(), 'nope');
  try {
    const r = await runCli(['--data-dir', join(tempDir(), 'lake'), 'schemas', 'list']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /INVALID_ARGUMENT: EVENTLAKE_SCHEMAS: schema folder \S+nope does not exist: give an existing folder/);
  } finally {
    delete process.env['EVENTLAKE_SCHEMAS'];
  }
});

test('a missing "schemaFolders" folder of a config file names the file and resolves from its folder', async () => {
  const dir = tempDir();
  const config = join(dir, 'eventlake.json');
  writeFileSync(config, JSON.stringify({ schemaFolders: ['./schemas'] }));
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), '--config', config, 'schemas', 'list']);
  assert.is(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(`INVALID_ARGUMENT: "schemaFolders" in ${config}: schema folder ${join(dir, 'schemas')} does not exist: ` +
    `${FIX} that file's folder (${dir})`), r.stderr);
});

test('openLocalEventlake with a missing schema folder creates no data dir', async () => {
  const dataDir = join(tempDir(), 'lake');
  await rejects(() => openLocalEventlake({ dataDir, schemaFolders: [join(tempDir(), 'nope')] }), InvalidArgumentError);
  assert.not.ok(existsSync(dataDir));
});

test('eventlake schemas check on a missing DIR names DIR and the fix', async () => {
  const missing = join(tempDir(), 'nope');
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), 'schemas', 'check', missing]);
  assert.is(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(`INVALID_ARGUMENT: DIR: schema folder ${missing} does not exist: ${FIX} the current directory`), r.stderr);
});

test('eventlake schemas check on a file names DIR and says it is not a folder', async () => {
  const file = join(tempDir(), 'a.json');
  writeFileSync(file, '{}');
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), 'schemas', 'check', file]);
  assert.ok(r.stderr.includes(`DIR: schema folder ${file} is not a folder: `), r.stderr);
});

test('an existing config "schemaFolders" folder loads', async () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(join(dir, 'eventlake.json'), JSON.stringify({ schemaFolders: ['./schemas'] }));
  const r = await runCli(['--data-dir', join(tempDir(), 'lake'), '--config', join(dir, 'eventlake.json'), 'schemas', 'list']);
  assert.is(r.code, 0, r.stderr);
});

test.run();
