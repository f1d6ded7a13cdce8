// UnindexedIdentities keeps the catalogue rows index.db may lack: those of the append holding the indexer's cursor and
// of every later one. A cursor exactly at the journal's end holds no append, so nothing is kept: a process's first
// append after an import of a million events in one append read all of its rows (≈ 3 s) for nothing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { setUpCatalogue } from '../../../adapters/local/catalogue-schema.ts';
import { catalogueKey } from '../../../adapters/local/catalogue-key.ts';
import { UnindexedIdentities } from '../../../adapters/local/unindexed-identities.ts';

const test = suite('UnindexedIdentities');

/** A catalogue holding two appends: three identities journaled at offset 0, two at offset 300; the journal ends at 500. */
function catalogue(): Database.Database {
  const db = new Database(':memory:');
  setUpCatalogue(db);
  const put = db.prepare('INSERT INTO identities VALUES (?, ?)');
  for (const [n, offset] of [[1, 0], [2, 0], [3, 0], [4, 300], [5, 300]] as const) put.run(catalogueKey(`cash_deposit_${n}`, 1714000000), offset);
  return db;
}

test('a cursor inside the last append keeps that append\'s rows', () => {
  const kept = new UnindexedIdentities(catalogue());
  kept.refresh(400, 500);
  assert.is(kept.size, 2);
  assert.ok(kept.find('cash_deposit_4'));
  assert.not.ok(kept.find('cash_deposit_1'));
});

test('a cursor at the last append\'s start keeps its rows (none of them is indexed)', () => {
  const kept = new UnindexedIdentities(catalogue());
  kept.refresh(300, 500);
  assert.is(kept.size, 2);
});

test('a cursor at the journal\'s end keeps nothing: every row is indexed', () => {
  const kept = new UnindexedIdentities(catalogue());
  kept.refresh(500, 500);
  assert.is(kept.size, 0);
  assert.not.ok(kept.find('cash_deposit_5'));
});

test('without the journal\'s end, the append holding the cursor is kept, as before', () => {
  const kept = new UnindexedIdentities(catalogue());
  kept.refresh(500);
  assert.is(kept.size, 2);
});

test('rows appended after a refresh that kept nothing are kept by the next one while the cursor is behind them', () => {
  const db = catalogue();
  const kept = new UnindexedIdentities(db);
  kept.refresh(500, 500);
  db.prepare('INSERT INTO identities VALUES (?, ?)').run(catalogueKey('cash_deposit_6', 1714000000), 500);
  kept.refresh(500, 600);
  assert.ok(kept.find('cash_deposit_6'));
  assert.is(kept.size, 1);
});

test.run();
