// The named queries of the log, written once as SQL that both DuckDB and Athena (Trino) run, with their parameters.
//
// Portability rules the SQL below keeps: output columns are lower-case snake_case aliases (Athena lower-cases
// identifiers), values are positional `?` (Athena ExecutionParameters, DuckDB prepared values), list filters use
// `strpos` over `,a,b,` (no array binding exists in both), money is CAST(Amount AS DECIMAL(18,2)), never DOUBLE.

import { InvalidArgumentError } from './errors.ts';
import { accountSlots, type AccountDeclaration, type AccountSlots } from './query-accounts.ts';
import { listValue, rangeOf, rangeValues, type TimeRange } from './query-params.ts';

export type QueryValue = string | number;
export type QueryParams = Readonly<Record<string, QueryValue>>;

export interface QueryParamSpec {
  readonly name: string;
  /** `time`: ISO-8601 or epoch seconds; `list`: comma-separated; `text`: one value. */
  readonly kind: 'time' | 'list' | 'text';
  readonly required: boolean;
  readonly description: string;
}

/** A query of the catalogue: portable SQL over `events`, and how its named parameters become positional values. */
export interface CatalogueQuery {
  readonly name: string;
  readonly description: string;
  readonly params: readonly QueryParamSpec[];
  /** SQL over the table `events`, with positional `?` placeholders. */
  readonly sql: string;
  /** The positional values of `sql`, and the time range it reads (engines prune paths or partitions with it). */
  bind(params: QueryParams): { values: QueryValue[]; range: TimeRange };
}

/** The object key inside a path (`s3://bucket/events/…` in Athena's `"$path"`, a file path in DuckDB's). */
export const OBJECT_KEY_PATTERN = 'events/year=[0-9]{4}/month=[0-9]{2}/day=[0-9]{2}/hour=[0-9]{2}/[^/]+$';

/**
 * Keeps the events of a range. The partition terms come first so Athena's partition projection prunes
 * (the year term is a plain column range; the hour-key term narrows to whole hours); the
 * EventTimeStamp term then cuts the first and last hour exactly. Values: rangeValues(range).
 */
export const RANGE_PREDICATE =
  `"year" BETWEEN ? AND ? AND ("year" || "month" || "day" || "hour") BETWEEN ? AND ? AND EventTimeStamp >= ? AND EventTimeStamp < ?`;

// Why the dedup: while compaction runs, an event can be both in its one-event object and in the new segment.
// Every copy has the same bytes, so any one will do; the segment (`segment.ndjson`, `segment-N.ndjson`) wins because
// the originals (one-event objects, local batch objects) are going away.
// `keep`, a filter on an event's own fields, runs before the ranking, which otherwise held the whole range in memory
// for one account (1M events: 26 s, 448 MiB). Same answer: the log refuses other bytes under an identity
// (EventConflictError), so the filter keeps every copy of an event or none, and the kept copies rank as before.
const uniqueEvents = (keep = ''): string => `WITH ranged AS (
  SELECT EventType, RequestId, EventTimeStamp, SourceAccount, TargetAccount, Amount, Reference, "year", "month", "day",
    regexp_extract("$path", '${OBJECT_KEY_PATTERN}') AS object_key,
    row_number() OVER (PARTITION BY EventType, RequestId
      ORDER BY CASE WHEN regexp_extract("$path", '${OBJECT_KEY_PATTERN}') LIKE '%/segment%.ndjson' THEN 0 ELSE 1 END, "$path") AS copy_rank
  FROM events
  WHERE ${RANGE_PREDICATE}${keep === '' ? '' : ` AND ${keep}`}
), unique_events AS (SELECT * FROM ranged WHERE copy_rank = 1)`;

const IDENTITY = `EventType || '_' || RequestId`;
const TIME_PARAMS: readonly QueryParamSpec[] = [
  { name: 'from', kind: 'time', required: false, description: 'start, inclusive (alias since); default: the log start' },
  { name: 'to', kind: 'time', required: false, description: 'end, exclusive (alias until); default: the log end' },
];

function text(params: QueryParams, name: string): string {
  const v = params[name];
  if (v === undefined || String(v) === '') throw new InvalidArgumentError(name, 'this query needs it');
  return String(v);
}

function eventsToReplay(accounts: AccountSlots): CatalogueQuery {
  return {
    name: 'events_to_replay',
    description: 'Identities and object keys of the events in a range, in replay order (EventTimeStamp, identity).',
    params: [
      { ...TIME_PARAMS[0]!, required: true },
      TIME_PARAMS[1]!,
      { name: 'type', kind: 'list', required: false, description: 'only these event types' },
      { name: 'account', kind: 'list', required: false, description: 'only events touching these accounts (SourceAccount or TargetAccount, or the fields a schema declares)' },
    ],
    sql: `${uniqueEvents(`(? = '' OR strpos(?, ',' || EventType || ',') > 0)
    AND (? = '' OR strpos(?, ',' || coalesce(${accounts.slots[0]}, '') || ',') > 0 OR strpos(?, ',' || coalesce(${accounts.slots[1]}, '') || ',') > 0)`)}
SELECT ${IDENTITY} AS event_id, EventType AS event_type, EventTimeStamp AS event_time, object_key
FROM unique_events
ORDER BY event_time, event_id`,
    bind(params) {
      const range = rangeOf(params, true);
      const types = listValue(params['type'], 'type');
      const accountList = listValue(params['account'], 'account');
      return { range, values: [...rangeValues(range), types, types, accountList, accountList, accountList] };
    },
  };
}

const countsPerTypePerDay: CatalogueQuery = {
  name: 'counts_per_type_per_day',
  description: 'Number of events per UTC day and event type.',
  params: TIME_PARAMS,
  sql: `${uniqueEvents()}
SELECT "year" || '-' || "month" || '-' || "day" AS event_date, EventType AS event_type, count(*) AS event_count
FROM unique_events
GROUP BY 1, 2
ORDER BY 1, 2`,
  bind(params) {
    const range = rangeOf(params, false);
    return { range, values: rangeValues(range) };
  },
};

function accountHistory(accounts: AccountSlots): CatalogueQuery {
  return {
    name: 'account_history',
    description: 'Every event touching one account (as SourceAccount or TargetAccount, or a field its schema declares), in replay order.',
    params: [{ name: 'account', kind: 'text', required: true, description: 'the account number' }, ...TIME_PARAMS],
    sql: `${uniqueEvents(`(${accounts.slots[0]} = ? OR ${accounts.slots[1]} = ?)`)}
SELECT ${IDENTITY} AS event_id, EventType AS event_type, EventTimeStamp AS event_time,
  SourceAccount AS source_account, TargetAccount AS target_account, Amount AS amount, Reference AS reference, object_key
FROM unique_events
ORDER BY event_time, event_id`,
    bind(params) {
      const range = rangeOf(params, false);
      const account = text(params, 'account');
      return { range, values: [...rangeValues(range), account, account] };
    },
  };
}

// Why DECIMAL(38,0), not BIGINT: 93 amounts of the schema's largest (15 digits) pass 2^63 cents, and one account over
// it failed the whole query. Both engines sum DECIMAL(18,2) as DECIMAL(38,2), so the cents always fit 38 digits; Athena
// has no HUGEINT. Both value mappers type a scale-0 DECIMAL as an integer (a number, a bigint beyond 2^53), as BIGINT was.
const CENTS = 'DECIMAL(38,0)';

// The balance rules in SQL (domain/balances.ts): a verification replaces its deposit (same RequestId), so a deposit
// counts only when no verification of it is in the range (for one account, `ranged` keeps every verification: one
// naming another account may replace its deposit); the verification always counts. That is the fold of the range's
// events, in any order; types without a balance rule are left out.
const reconciliationTotals: CatalogueQuery = {
  name: 'reconciliation_totals',
  description: 'Per account: credits, debits and net in cents, by the built-in balance rules over the events of a range (the five built-in event types only: events of your own types are not counted).',
  params: [...TIME_PARAMS, { name: 'account', kind: 'text', required: false, description: 'only this account' }],
  sql: `${uniqueEvents(`(? = '' OR SourceAccount = ? OR TargetAccount = ? OR EventType = 'verify_cash_deposit')`)},
verified AS (SELECT DISTINCT RequestId FROM unique_events WHERE EventType = 'verify_cash_deposit'),
movements AS (
  SELECT TargetAccount AS account, CAST(Amount AS DECIMAL(18,2)) AS credit, CAST(0 AS DECIMAL(18,2)) AS debit
  FROM unique_events
  WHERE EventType IN ('incoming_payment', 'inter_account_transfer', 'verify_cash_deposit')
    OR (EventType = 'cash_deposit' AND RequestId NOT IN (SELECT RequestId FROM verified))
  UNION ALL
  SELECT SourceAccount AS account, CAST(0 AS DECIMAL(18,2)) AS credit, CAST(Amount AS DECIMAL(18,2)) AS debit
  FROM unique_events
  WHERE EventType IN ('cash_withdrawal', 'inter_account_transfer')
)
SELECT account, CAST(sum(credit) * 100 AS ${CENTS}) AS credits_cents, CAST(sum(debit) * 100 AS ${CENTS}) AS debits_cents,
  CAST((sum(credit) - sum(debit)) * 100 AS ${CENTS}) AS net_cents, count(*) AS movement_count
FROM movements
WHERE (? = '' OR account = ?)
GROUP BY account
ORDER BY account`,
  bind(params) {
    const range = rangeOf(params, false);
    const account = params['account'] === undefined ? '' : String(params['account']);
    return { range, values: [...rangeValues(range), account, account, account, account, account] };
  },
};

/**
 * The catalogue over a lake whose schemas declare account fields (`SchemaRegistry` + `accountDeclarations`): the
 * account filters of events_to_replay and account_history read each event's declared fields, by its EventType and
 * SchemaVersion, and SourceAccount / TargetAccount for every other event. Values stay bound; only the registry's
 * type names, versions and field names (checked plain identifiers) are spliced into the SQL.
 *
 * @example
 * const catalogue = queryCatalogue([{ type: 'card_payment', version: 1, fields: ['CardAccount'] }]);
 * new DuckDbEventQuery({ dataDir, extraColumns, catalogue });
 */
export function queryCatalogue(declarations: readonly AccountDeclaration[] = []): Readonly<Record<string, CatalogueQuery>> {
  const accounts = accountSlots(declarations);
  const queries = [eventsToReplay(accounts), countsPerTypePerDay, accountHistory(accounts), reconciliationTotals];
  return Object.fromEntries(queries.map((q) => [q.name, q]));
}

/** The built-in catalogue, by name: every event's accounts are its SourceAccount and TargetAccount. */
export const QUERY_CATALOGUE: Readonly<Record<string, CatalogueQuery>> = queryCatalogue();

const ALIASES: Readonly<Record<string, string>> = { since: 'from', until: 'to' };

/**
 * Look up `name` in `catalogue` and bind `params`. Unknown names and parameters are rejected
 * (a typo would otherwise widen a query silently).
 *
 * @example
 * const { sql, values, range } = bindQuery(QUERY_CATALOGUE, 'account_history', { account: 'ACC-000042' });
 */
export function bindQuery(catalogue: Readonly<Record<string, CatalogueQuery>>, name: string, params: QueryParams):
  { sql: string; values: QueryValue[]; range: TimeRange } {
  const query = Object.hasOwn(catalogue, name) ? catalogue[name] : undefined;
  if (!query) throw new InvalidArgumentError('query', `no query named ${JSON.stringify(name)}; known: ${Object.keys(catalogue).join(', ')}`);
  for (const p of Object.keys(params)) {
    if (!query.params.some((s) => s.name === (Object.hasOwn(ALIASES, p) ? ALIASES[p] : p))) { // own keys: ALIASES['constructor'] is Object
      throw new InvalidArgumentError(p, `${name} has no such parameter; it takes ${query.params.map((s) => s.name).join(', ')}`);
    }
  }
  return { sql: query.sql, ...query.bind(params) };
}
