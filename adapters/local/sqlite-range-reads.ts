// Time-range reads of index.db (SqliteEventIndex.between/firstEntries): the statement that serves a query's filter,
// run in keyset pages of the size the reader asks for.

import type Database from 'better-sqlite3';
import { checkRangeBounds, checkRangeCursor, type IndexEntry, type IndexRangeQuery } from '../../domain/ports/event-index.ts';
import { guard } from './sqlite-index-db.ts';
import { ROW_COLUMNS, toEntry, type EventRow } from './sqlite-index-schema.ts';
import { rangeSeek, TYPE_FILTER, type IndexStatements } from './sqlite-index-statements.ts';

/**
 * Most types or accounts a query is merged over, one arm of a compound SELECT each (SQLite allows 500). Past it the
 * query falls back to the statements that filter a time range or sort the accounts' rows: right, only slower.
 */
export const MAX_MERGED = 64;

// The keyset bound of betweenByTime (see there): the row value seeks each arm to the cursor, `+… >= @from` only guards.
const KEYSET = (t: string) => `(${t}timestamp, ${t}id) > (@afterTs, @afterId) AND ${t}timestamp < @to AND +${t}timestamp >= @from`;
const E_COLUMNS = ROW_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ');

/**
 * Several types: one arm per type on events_by_type (type, timestamp, id), each in page order, merged by SQLite
 * (MERGE (UNION ALL): a type is one row's, so no row is in two arms), so a page stops at its LIMIT. Through
 * `type IN (…)` on events_by_time instead, a page of a rare type read every event of the range to find it.
 */
function typesSql(count: number): string {
  const arms = Array.from({ length: count }, (_, i) => `SELECT ${E_COLUMNS} FROM events e WHERE e.type = @t${i} AND ${KEYSET('e.')}`);
  return `${arms.join(' UNION ALL ')} ORDER BY timestamp, id LIMIT @limit`;
}

/**
 * Several accounts: one arm per account on event_accounts' key, merged in page order (UNION drops an event naming
 * two of them, as DISTINCT did), then joined to events, so a page stops at its LIMIT. Through `account IN (…)` SQLite
 * sorted every row of the accounts' range in a temp B-tree for each page.
 */
function accountsSql(count: number): string {
  const arms = Array.from({ length: count }, (_, i) => `SELECT timestamp, id FROM event_accounts WHERE account = @a${i} AND ${KEYSET('')}`);
  return `SELECT ${E_COLUMNS} FROM (${arms.join(' UNION ')} ORDER BY timestamp, id) a JOIN events e ON e.id = a.id
    WHERE ${TYPE_FILTER} ORDER BY a.timestamp, a.id LIMIT @limit`;
}

const named = (prefix: string, values: readonly string[]) => Object.fromEntries(values.map((v, i) => [`${prefix}${i}`, v]));

/** A query's statement and the parameters it binds besides the keyset cursor and the limit. */
export interface RangeStatement {
  readonly statement: Database.Statement;
  readonly params: Record<string, unknown>;
}

/** The range reads of one connection; merged statements are prepared per number of arms and kept. */
export class RangeReads {
  private readonly merged = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database, private readonly sql: IndexStatements) {}

  /** The statement serving `query`'s filter: one that reads the rows in page order, so SQLite stops at the page. */
  statementFor(query: IndexRangeQuery): RangeStatement {
    const { from, to } = query;
    const types = query.types ? [...new Set(query.types)] : undefined;
    const accounts = query.accounts ? [...new Set(query.accounts)] : undefined;
    const typesJson = types ? JSON.stringify(types) : null;
    const base = { from, to, types: typesJson, accounts: accounts ? JSON.stringify(accounts) : null };
    if (accounts && accounts.length === 1) return { statement: this.sql.betweenOneAccount, params: base };
    if (accounts && accounts.length > 1 && accounts.length <= MAX_MERGED) {
      return { statement: this.prepared('a', accounts.length, accountsSql), params: { from, to, types: typesJson, ...named('a', accounts) } };
    }
    if (accounts) return { statement: this.sql.betweenByAccount, params: base };
    if (types && types.length > 0 && types.length <= MAX_MERGED) {
      return { statement: this.prepared('t', types.length, typesSql), params: { from, to, ...named('t', types) } };
    }
    return { statement: this.sql.betweenByTime, params: base };
  }

  /**
   * The entries of `query` in (timestamp, id) order, read `pageSize` rows per statement. Keyset pages: no statement
   * stays open across a yield, so callers may use the index while iterating; each page seeks to its cursor, so page
   * n costs what page 1 does.
   */
  async *read(query: IndexRangeQuery, pageSize: number): AsyncGenerator<IndexEntry> {
    checkRangeBounds(query);
    const { from } = query;
    checkRangeCursor(query.after);
    const { statement, params } = this.statementFor(query);
    let after = rangeSeek(from, query.after);
    for (;;) {
      const rows = guard(() => statement.all({ ...params, ...after, limit: pageSize }) as EventRow[]);
      for (const row of rows) yield toEntry(row);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = { afterTs: last.timestamp, afterId: last.id };
    }
  }

  private prepared(kind: string, arms: number, sql: (arms: number) => string): Database.Statement {
    const key = `${kind}${arms}`;
    let statement = this.merged.get(key);
    if (!statement) this.merged.set(key, (statement = this.db.prepare(sql(arms))));
    return statement;
  }
}
