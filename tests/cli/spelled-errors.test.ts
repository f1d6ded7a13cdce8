// Errors that name an eventlake command print it with the global options the user gave, whichever command met them
// (cli/main.ts respells every error that names commands), so the line runs as printed.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ArchivedEventError, IndexLostError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { healthyDataDir } from '../support/check-data-dir.ts';
import { loseIndex } from '../support/index-repair-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

test('a lost index.db names repair index with --data-dir and every --schemas given (repair needs them for user types)', async () => {
  const dir = await healthyDataDir();
  loseIndex(dir);
  const schemas = join(await tempDir(), 'my schemas');
  mkdirSync(schemas);
  const r = await runCli(['--data-dir', dir, '--schemas', schemas, 'balance']);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, `INDEX_LOST: dataDir: ${dir} holds stored events`);
  assert.match(r.stderr, `eventlake --data-dir ${dir} --schemas '${schemas}' repair index`);
});

test('without the CLI, the errors name their commands bare (a library caller has no global options)', () => {
  assert.match(new IndexLostError('/d', 'its journal ends at 10').message, 'objects: eventlake --data-dir /d repair index');
  assert.match(new ArchivedEventError('k1', 'GLACIER').message, '(eventlake restore --keys k1)');
});

test('spelledWith names the commands as the caller spells them and keeps the rest of the error', () => {
  const spell = (...args: string[]) => ['eventlake', '--target', 'aws', ...args].join(' ');
  const archived = new ArchivedEventError('k1', 'GLACIER').spelledWith(spell);
  assert.instance(archived, ArchivedEventError);
  assert.equal([archived.key, archived.storageClass, archived.code], ['k1', 'GLACIER', 'EVENT_ARCHIVED']);
  assert.match(archived.message, '(eventlake --target aws restore --keys k1)');
  const lost = new IndexLostError('/d', 'e').spelledWith(spell);
  assert.equal([lost.dataDir, lost.evidence], ['/d', 'e']);
  assert.match(lost.message, 'objects: eventlake --target aws repair index');
});

test.run();
