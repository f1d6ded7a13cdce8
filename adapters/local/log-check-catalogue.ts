// The identity half of `checkLog`: do journal/catalogue.db and index.db hold the same identities?

import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Findings } from './log-check-report.ts';
import { catalogueIdentities, indexIdentities } from './log-check-sqlite.ts';

/** Count and order-free digest of a set of keys: per-lane sums of each key's SHA-256 (a set, so order is free). */
function digest(keys: Iterable<{ key: string }>): { count: number; lanes: string } {
  const lanes = new Uint32Array(4);
  let count = 0;
  for (const { key } of keys) {
    const h = createHash('sha256').update(key).digest();
    for (let i = 0; i < 4; i++) lanes[i] = (lanes[i]! + h.readUInt32LE(i * 4)) >>> 0;
    count++;
  }
  return { count, lanes: Array.from(lanes, (l) => l.toString(16)).join('') };
}

/**
 * Compare the identities of both databases. Why digests first: a million identities as strings cost hundreds of MB;
 * two streamed digests cost nothing, and only when they differ does a sorted merge (SQLite sorts the index's side on
 * disk; the catalogue's is its primary key) name the identities on one side only.
 */
export function compareIdentities(index: Database.Database, catalogue: Database.Database, findings: Findings, pending: { cursor: number; from: number }): { indexRows: number; catalogueIdentities: number; digestsAgree: boolean } {
  const ofIndex = digest(indexIdentities(index, false));
  const ofCatalogue = digest(catalogueIdentities(catalogue));
  const agree = ofIndex.count === ofCatalogue.count && ofIndex.lanes === ofCatalogue.lanes;
  if (!agree) diff(index, catalogue, findings, pending);
  return { indexRows: ofIndex.count, catalogueIdentities: ofCatalogue.count, digestsAgree: agree };
}

/** `pending.from`: identities journaled at or past it may wait for the indexer (`pendingFrom`), at `pending.cursor`. */
function diff(index: Database.Database, catalogue: Database.Database, findings: Findings, pending: { cursor: number; from: number }): void {
  const cursor = pending.cursor;
  const a = indexIdentities(index, true);
  const b = catalogueIdentities(catalogue);
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (!x.done && (y.done || x.value.key < y.value.key)) {
      const key = x.value.key;
      findings.add('indexOnly', () => `${key} is indexed but not in the catalogue: FsEventLog.append would store a repeat of it again (emit still finds it through the index)`);
      x = a.next();
    } else if (!y.done && (x.done || y.value.key < x.value.key)) {
      const { key, offset } = y.value;
      if (offset >= pending.from) findings.add('pendingIndex', () => `${key} (journal offset ${offset}, indexer at ${cursor})`);
      else findings.add('catalogueOnly', () => `${key} (journal offset ${offset}) is in the catalogue but not indexed: re-sending it reports a duplicate, yet no read finds it`);
      y = b.next();
    } else {
      x = a.next();
      y = b.next();
    }
  }
}
