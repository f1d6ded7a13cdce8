// POST /events of a resend whose stored copy is archived: a changed one is a 409, and one the index cannot compare
// (no digest) a 503 telling the client to come back after the restore, never a 201 duplicate.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { ARCHIVED_RETRY_AFTER_S } from '../../cli/http-errors.ts';
import { buildServer } from '../../cli/server.ts';
import { ARCHIVED_EVENT, CHANGED_RESENDS, withArchivedCopy } from '../support/archived-copy.ts';
import { withDb } from '../support/check-data-dir.ts';

const CHANGED = Object.values(CHANGED_RESENDS)[0]!;

const test = suite('HTTP: resends of an archived event');

test('a changed resend is answered 409 EVENT_CONFLICT', () => withArchivedCopy(async (local) => {
  const app = buildServer(local);
  try {
    const r = await app.inject({ method: 'POST', url: '/events', payload: CHANGED });
    assert.equal([r.statusCode, r.json().error], [409, 'EVENT_CONFLICT']);
  } finally {
    await app.close();
  }
}));

test('a resend the index cannot compare (no digest) is answered 503 EVENT_COPY_ARCHIVED with Retry-After', () => withArchivedCopy(async (local, dataDir, key) => {
  withDb(dataDirLayout(dataDir).indexDb, (db) => db.exec('UPDATE events SET digest = NULL'));
  const app = buildServer(local);
  try {
    for (const event of [CHANGED, ARCHIVED_EVENT]) {
      const r = await app.inject({ method: 'POST', url: '/events', payload: event });
      assert.equal([r.statusCode, r.json().error, r.headers['retry-after']], [503, 'EVENT_COPY_ARCHIVED', String(ARCHIVED_RETRY_AFTER_S)]);
      assert.ok((r.json().message as string).includes(`restore --keys ${key}`));
    }
  } finally {
    await app.close();
  }
}));

test.run();
