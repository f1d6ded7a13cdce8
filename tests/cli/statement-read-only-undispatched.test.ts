// `--read-only statement ACCOUNT` for an account whose events are not dispatched yet said "`eventlake … run` or any
// emit or read catches up", while `balance` said a read-only open dispatches nothing: statement explains with a copy
// of the runtime, which lost the read-only mark. Both now say the same.

import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { STALL_RECORD_FILE } from '../../adapters/local/dispatch-stall-record.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { StorageError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { runCli } from '../security/cli-run.ts';
import { decorateWith } from '../support/faults.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('statement --read-only: undispatched events are named as balance names them');

const ACCOUNT = 'NEW-0001';
const SCHEMAS = join(resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url))), 'schemas');

/** A data dir whose one deposit is indexed but not dispatched (its dispatch refused every apply), with no stall record. */
async function behindDataDir(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({
    dataDir, schemaFolders: [SCHEMAS], onCatchUpError: () => undefined,
    decorate: decorateWith({ store: { method: 'apply', failFirst: 1_000_000, error: () => new StorageError('projections.db: attempt to write a readonly database') } }),
  });
  try {
    await local.lake.emit([{ ...SAMPLES['incoming_payment']!, TargetAccount: ACCOUNT } as DomainEvent]);
  } finally {
    await local.close();
  }
  rmSync(join(dataDir, STALL_RECORD_FILE));
  return dataDir;
}

const READ_ONLY_WORDS = 'and a read-only open dispatches nothing: a catch-up where the data dir can be written';

test('read-only statement of an account with undispatched events says a read-only open dispatches nothing', async () => {
  const dataDir = await behindDataDir();
  const r = await runCli(['--data-dir', dataDir, '--read-only', 'statement', ACCOUNT]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `1 event naming it is not dispatched yet (dispatch is at position 0) ${READ_ONLY_WORDS}`);
  assert.not.match(r.stderr, 'or any emit or read catches up');
});

test('read-only balance and statement give the same reason for that account', async () => {
  const dataDir = await behindDataDir();
  const reason = (stderr: string) => stderr.slice(stderr.indexOf('1 event naming it is not dispatched yet'));
  const balance = await runCli(['--data-dir', dataDir, '--read-only', 'balance', ACCOUNT]);
  const statement = await runCli(['--data-dir', dataDir, '--read-only', 'statement', ACCOUNT]);
  assert.match(balance.stderr, READ_ONLY_WORDS);
  assert.is(reason(statement.stderr), reason(balance.stderr));
});

test.run();
