// journal/catalogue.db checkpoints its WAL every 10,000 pages (≈40 MB); without a journal_size_limit the WAL kept that
// high-water mark for a serve's whole lifetime. It is truncated back like index.db's and projections.db's.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SqliteLogCatalogue } from '../../../adapters/local/sqlite-log-catalogue.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('log catalogue WAL size');

test('the catalogue truncates its WAL back to 8 MiB after a checkpoint (journal_size_limit)', () => {
  const catalogue = new SqliteLogCatalogue(join(tempDir(), 'catalogue.db'));
  try {
    const limit = catalogue.lockedConnection((db) => db.pragma('journal_size_limit', { simple: true }));
    assert.is(limit, 8 * 1024 * 1024);
  } finally {
    catalogue.close();
  }
});

test.run();
