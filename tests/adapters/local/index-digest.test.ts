// index.db's content digests: the migration that adds the column to an index of the version before, and
// `repair index`, which records the digest of every event it reads, archived ones included.

import { suite } from 'uvu';
import { readdirSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { repairIndex } from '../../../adapters/local/index-repair.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../../adapters/local/open-local-eventlake.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId } from '../../../domain/event.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { rejects } from '../../support/async.ts';
import { ARCHIVED_EVENT, CHANGED_RESENDS, archivedCopyDataDir } from '../../support/archived-copy.ts';
import { withDb } from '../../support/check-data-dir.ts';
import { hotEntry } from '../../support/index-entries.ts';
import { tempDir } from '../../support/tmp.ts';

/** Turn index.db back into what the version before digests left: no digest column, schema version 1. */
function asBeforeDigests(indexDb: string): void {
  withDb(indexDb, (db) => {
    db.exec('ALTER TABLE events DROP COLUMN digest');
    db.pragma('user_version = 1');
  });
}

const digests = (indexDb: string) => withDb(indexDb, (db) => db.prepare('SELECT id, digest FROM events ORDER BY position').all());

const test = suite('index.db content digests');

test('an index.db of the version before digests gains the column: its rows have none, new entries keep theirs', async () => {
  const file = `${tempDir()}/index.db`;
  const first = new SqliteEventIndex(file);
  await first.put([hotEntry('cash_deposit_old', 1_714_000_000)]);
  first.close();
  asBeforeDigests(file);
  const index = new SqliteEventIndex(file);
  try {
    await index.put([{ ...hotEntry('cash_deposit_new', 1_714_000_001), digest: 'd1gest' }]);
    assert.is((await index.get('cash_deposit_old'))?.digest, undefined);
    assert.is((await index.get('cash_deposit_new'))?.digest, 'd1gest');
    assert.is((await index.afterPosition(0, 10)).entries[1]?.digest, 'd1gest');
    assert.is(withDb(file, (db) => db.pragma('user_version', { simple: true })), 2);
  } finally {
    index.close();
  }
});

test('repair index records the digest of every event, archived ones too, on an index.db without the column', async () => {
  const { dataDir } = await archivedCopyDataDir();
  const { indexDb } = dataDirLayout(dataDir);
  asBeforeDigests(indexDb);
  const report = await repairIndex(dataDir);
  assert.is(report.positions, 'unchanged'); // the old index was read and compared, not taken for a damaged one
  assert.equal(digests(indexDb), [{ id: eventId(ARCHIVED_EVENT), digest: eventDigest(ARCHIVED_EVENT) }]);
});

test('after repair index a changed resend of an archived event indexed without digests is EVENT_CONFLICT', async () => {
  const { dataDir } = await archivedCopyDataDir();
  withDb(dataDirLayout(dataDir).indexDb, (db) => db.exec('UPDATE events SET digest = NULL'));
  await repairIndex(dataDir);
  const local = await openLocalEventlake({ dataDir });
  try {
    await rejects(() => local.lake.emit(Object.values(CHANGED_RESENDS)[0]!), EventConflictError);
    assert.equal((await local.lake.emit(ARCHIVED_EVENT)).map((r) => r.status), ['duplicate']);
  } finally {
    await local.close();
  }
});

test('repair index of an index.db that only lacks digests (column or values) keeps no damaged-<time> copy of it', async () => {
  for (const strip of [asBeforeDigests, (file: string) => withDb(file, (db) => db.exec('UPDATE events SET digest = NULL'))]) {
    const { dataDir } = await archivedCopyDataDir();
    strip(dataDirLayout(dataDir).indexDb);
    const report = await repairIndex(dataDir);
    assert.is(report.replaced, true);
    assert.is(report.oldIndexKeptAt, undefined);
    assert.equal(readdirSync(dataDir).filter((f) => f.includes('.damaged-')), []);
  }
});

test('repair index still keeps an old index whose digest differs, as damaged', async () => {
  const { dataDir } = await archivedCopyDataDir();
  withDb(dataDirLayout(dataDir).indexDb, (db) => db.exec("UPDATE events SET digest = 'not-the-digest'"));
  const report = await repairIndex(dataDir);
  assert.ok(report.oldIndexKeptAt?.includes('.damaged-'), String(report.oldIndexKeptAt));
});

test.run();
