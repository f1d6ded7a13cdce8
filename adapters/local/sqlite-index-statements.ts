// The prepared statements of SqliteEventIndex, prepared once per connection (put() runs them per row).

import type Database from 'better-sqlite3';
import { EVENT_OBJECT_SUFFIX, hourStart, partitionPrefix } from '../../domain/event.ts';
import type { IndexEntry, RangeCursor } from '../../domain/ports/event-index.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import type { ReplayEntry } from '../../projections/rebuild/deps.ts';
import { ROW_COLUMNS } from './sqlite-index-schema.ts';

/** `types` is a JSON array or null. */
export const TYPE_FILTER = '(@types IS NULL OR e.type IN (SELECT value FROM json_each(@types)))';
/** `until` (epoch ms, or null for none) keeps events with EventTimeStamp * 1000 < until, as PositionRange does. */
const UNTIL = '(@until IS NULL OR timestamp * 1000 < @until)';

/**
 * The keyset cursor `betweenByTime`/`betweenByAccount` seek to for the range from `from` after `after`: `after`, or
 * (from, '') (before every event of second `from`: ids are never '') when there is none or it lies before `from`.
 */
export function rangeSeek(from: number, after: RangeCursor | undefined): { afterTs: number; afterId: string } {
  return after && after.timestamp >= from ? { afterTs: after.timestamp, afterId: after.id } : { afterTs: from, afterId: '' };
}

export function indexStatements(db: Database.Database) {
  const e = ROW_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ');
  return {
    insert: db.prepare(`INSERT OR IGNORE INTO events (id, type, timestamp, accounts, object_key, offset, length, size, storage_class, restore, digest)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    insertAccount: db.prepare('INSERT OR IGNORE INTO event_accounts (account, timestamp, id) VALUES (?, ?, ?)'),
    byId: db.prepare(`SELECT ${ROW_COLUMNS} FROM events WHERE id = ?`),
    // Rows of [from, to) after the keyset cursor (afterTs, afterId), in (timestamp, id) order. The row value is the
    // only lower bound the index may use, so each page seeks to its cursor: beside an indexable `timestamp >= @from`
    // SQLite bounded the scan by `from` instead, and every page re-read the range from its start (page 1,000 of a
    // wide range cost 6x page 1). `rangeSeek` lifts the cursor to at least (from, ''), so `+… >= @from` only guards.
    betweenByTime: db.prepare(`SELECT ${e} FROM events e
      WHERE (e.timestamp, e.id) > (@afterTs, @afterId) AND e.timestamp < @to AND +e.timestamp >= @from AND ${TYPE_FILTER} AND @accounts IS NULL
      ORDER BY e.timestamp, e.id LIMIT @limit`),
    // Driven by event_accounts, so a rare account over a long range does not scan every event of the range; seeks
    // each account's rows to the cursor as betweenByTime does, but sorts them all for each page: only for more
    // accounts than RangeReads merges (MAX_MERGED).
    betweenByAccount: db.prepare(`SELECT DISTINCT ${e} FROM event_accounts a JOIN events e ON e.id = a.id
      WHERE a.account IN (SELECT value FROM json_each(@accounts)) AND (a.timestamp, a.id) > (@afterTs, @afterId)
        AND a.timestamp < @to AND +a.timestamp >= @from AND ${TYPE_FILTER}
      ORDER BY e.timestamp, e.id LIMIT @limit`),
    // betweenByAccount for one account: its rows come out of event_accounts' key in page order, so a page stops after
    // `limit` rows instead of sorting the rest of the account's range (the same values: a.timestamp is e.timestamp).
    betweenOneAccount: db.prepare(`SELECT ${e} FROM event_accounts a JOIN events e ON e.id = a.id
      WHERE a.account = json_extract(@accounts, '$[0]') AND (a.timestamp, a.id) > (@afterTs, @afterId)
        AND a.timestamp < @to AND +a.timestamp >= @from AND ${TYPE_FILTER}
      ORDER BY a.timestamp, a.id LIMIT @limit`),
    // Raw rows (arrays) cost half as much as row objects; RowMapper turns them into entries.
    afterPosition: db.prepare(`SELECT ${ROW_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(),
    // Rebuild scans (SqliteEventIndex.replayEntries/summarize/positionDigest): only the columns each needs, raw rows,
    // so a million-entry range costs SQLite's scan plus the strings it hands over, not a million entry objects.
    replayPage: db.prepare(`SELECT position, id, timestamp, object_key, offset, length, storage_class FROM events
                            WHERE position > @after AND position <= @upTo AND ${UNTIL} ORDER BY position LIMIT @limit`).raw(),
    // Replay order (EventTimeStamp, id) by keyset on events_by_time, so a replay holds one page, never the range.
    // `+position`: the position range must stay a filter; used as the access path it makes every page a scan and sort
    // of the whole range.
    replayOrderPage: db.prepare(`SELECT position, id, timestamp, object_key, offset, length, storage_class FROM events
                                 WHERE (timestamp, id) > (@ts, @id) AND +position > @after AND +position <= @upTo AND ${UNTIL}
                                 ORDER BY timestamp, id LIMIT @limit`).raw(),
    replayOrderCount: db.prepare(`SELECT COUNT(*) FROM events WHERE (timestamp, id) > (@ts, @id) AND +position > @after AND +position <= @upTo AND ${UNTIL}`).pluck(),
    summary: db.prepare(`SELECT storage_class, restore, object_key, COUNT(*), SUM(size) FROM events
                         WHERE position > @after AND position <= @upTo AND ${UNTIL} GROUP BY storage_class, restore, object_key`).raw(),
    positions: db.prepare(`SELECT position FROM events WHERE position > @after AND position <= @upTo AND ${UNTIL}`).pluck(),
    // Together they change whenever index.db's content may have: a commit by another connection, a change by this one.
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    totalChanges: db.prepare('SELECT total_changes()').pluck(),
    lastPosition: db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events'),
    relocate: db.prepare('UPDATE events SET object_key = ?, offset = ?, length = ? WHERE id = ?'),
    setStorageByKey: db.prepare('UPDATE events SET storage_class = ?, restore = ? WHERE object_key = ?'),
    setStorageById: db.prepare('UPDATE events SET storage_class = ?, restore = ? WHERE id = ? AND object_key IS NULL'),
    sharedObjects: db.prepare(`SELECT object_key AS key, storage_class AS storageClass, restore, COUNT(*) AS events,
                                      SUM(size) AS bytes, MAX(timestamp) AS maxTimestamp
                               FROM events WHERE object_key IS NOT NULL GROUP BY object_key
                               HAVING @before IS NULL OR MAX(timestamp) < @before`),
    ownObjects: db.prepare(`SELECT id, timestamp, storage_class AS storageClass, restore, size FROM events
                            WHERE object_key IS NULL AND (@before IS NULL OR timestamp < @before)`),
    count: db.prepare('SELECT COUNT(*) AS n FROM events'),
    // A range of the rowid: costs the events in it, not the index's size (a /health poll runs it during a lag).
    countBetweenPositions: db.prepare('SELECT COUNT(*) FROM events WHERE position > ? AND position <= ?').pluck(),
    cursor: db.prepare('SELECT value FROM cursors WHERE name = ?'),
    advanceCursor: db.prepare(`INSERT INTO cursors (name, value) VALUES (?, ?)
                               ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`),
  };
}

export type IndexStatements = ReturnType<typeof indexStatements>;

/** The values of ROW_COLUMNS, in order, as a `.raw()` statement returns them. */
export type RawEventRow = [number, string, string, number, string, string | null, number | null, number | null, number, StorageClass, RestoreState, string | null];

/** The values of a `replayPage` row, in order. */
export type RawReplayRow = [number, string, number, string | null, number | null, number | null, StorageClass];

const MAX_SHARED = 50_000;

/**
 * Maps raw rows to entries exactly like `toEntry`, sharing the strings that many entries repeat (type, segment key,
 * account, storage state, hour prefix). Why: a rebuild scans the whole index several times and holds a million
 * entries at once; shared strings make those entries a third smaller and spare the collector millions of objects.
 */
export class RowMapper {
  private readonly shared = new Map<string, string>();
  private readonly prefixes = new Map<number, string>();

  entry(row: RawEventRow): IndexEntry {
    const [position, id, type, timestamp, accounts, objectKey, offset, length, size, storageClass, restore, digest] = row;
    const key = objectKey === null ? `${this.prefix(timestamp)}${id}${EVENT_OBJECT_SUFFIX}` : this.share(objectKey);
    const parsed = JSON.parse(accounts) as string[];
    for (let i = 0; i < parsed.length; i++) parsed[i] = this.share(parsed[i]!);
    return {
      id, type: this.share(type), timestamp, accounts: parsed,
      location: offset === null || length === null ? { key } : { key, offset, length },
      size, storageClass: this.share(storageClass) as StorageClass, restore: this.share(restore) as RestoreState, position,
      ...(digest === null ? {} : { digest }),
    };
  }

  /** A `ReplayEntry` of a `replayPage` row: the same id, timestamp, location and class `entry` would give. */
  replayEntry(row: RawReplayRow): ReplayEntry {
    const [position, id, timestamp, objectKey, offset, length, storageClass] = row;
    const key = objectKey === null ? `${this.prefix(timestamp)}${id}${EVENT_OBJECT_SUFFIX}` : this.share(objectKey);
    return {
      id, timestamp, location: offset === null || length === null ? { key } : { key, offset, length },
      storageClass: this.share(storageClass) as StorageClass, position,
    };
  }

  private share(s: string): string {
    const known = this.shared.get(s);
    if (known !== undefined) return known;
    if (this.shared.size >= MAX_SHARED) this.shared.clear();
    this.shared.set(s, s);
    return s;
  }

  /** partitionPrefix(timestamp), computed once per hour. */
  private prefix(timestamp: number): string {
    const hour = hourStart(timestamp);
    let p = this.prefixes.get(hour);
    if (p === undefined) {
      if (this.prefixes.size >= MAX_SHARED) this.prefixes.clear();
      p = partitionPrefix(hour);
      this.prefixes.set(hour, p);
    }
    return p;
  }
}
