// Dispatch waiting on an archived object fails a command with the EVENT_ARCHIVED it met, or with TRANSIENT quoting it
// after its retries: the `restore --keys` quoted is spelled with the global options the user gave, so it restores the
// object of that data dir.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { respelled } from '../../domain/command-spelling.ts';
import { ArchivedEventError, TransientError } from '../../domain/errors.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';
import { waitingLake } from './status-archived-fixture.ts';

const test = suite('TRANSIENT quoting EVENT_ARCHIVED spells restore with the global options');
const spell = (...args: string[]) => ['eventlake', '--data-dir', '/d', ...args].join(' ');

test('a command stopped by dispatch at an archived object names restore --keys with --data-dir and --schemas', async () => {
  const { dataDir, firstKey } = await waitingLake();
  const schemas = tempDir();
  const r = await runCli(['--data-dir', dataDir, '--schemas', schemas, 'balance']);
  assert.is(r.code, 1, r.stderr);
  // TRANSIENT quoting it after dispatch's retries, or EVENT_ARCHIVED itself where dispatch stops at once: either way spelled.
  assert.match(r.stderr, /^eventlake: (TRANSIENT|EVENT_ARCHIVED): /);
  assert.match(r.stderr, `restore it first (eventlake --data-dir ${dataDir} --schemas ${schemas} restore --keys ${firstKey})`);
  assert.not.match(r.stderr, '(eventlake restore');
});

test('respelling the quote keeps the error\'s class, code and the rest of its message, and spells its cause too', () => {
  const archived = new ArchivedEventError('k1', 'GLACIER');
  const error = respelled(new TransientError(`dispatch stopped at position 7 (e7) after 8 attempts: EVENT_ARCHIVED: ${archived.message}; the next drain resumes there`, { cause: archived }), spell);
  assert.instance(error, TransientError);
  assert.is((error as TransientError).code, 'TRANSIENT');
  assert.is((error as TransientError).message, 'dispatch stopped at position 7 (e7) after 8 attempts: EVENT_ARCHIVED: object k1 is in GLACIER: restore it first ' +
    '(eventlake --data-dir /d restore --keys k1) and retry once the restore completes; the next drain resumes there');
  assert.match(((error as Error).cause as Error).message, '(eventlake --data-dir /d restore --keys k1)');
});

test('an error that does not quote its cause is left as it is', () => {
  const error = new TransientError('dispatch stopped', { cause: new ArchivedEventError('k1', 'GLACIER') });
  assert.is(respelled(error, spell), error);
});

test.run();
