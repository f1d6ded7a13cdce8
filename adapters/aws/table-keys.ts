// Key, attribute and index names of eventlake's DynamoDB tables: the one description both the adapters and the CDK stack read.
//
// Why a plain description instead of SDK types: infra (CDK) and the adapters' tests (CreateTable against DynamoDB
// Local) both build tables from it, so the names cannot drift; it imports nothing, so either side can use it.

/** A key attribute: its name and DynamoDB scalar type. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** A global secondary index. */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Which attributes the index copies: all of them, or only the keys. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

/** What a table needs: its keys and its GSIs. Tables are on-demand (PAY_PER_REQUEST). */
export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalIndexes: readonly IndexDefinition[];
  /** Whether point-in-time recovery must be on (projection generations: the PITR snapshot store restores them). */
  readonly pointInTimeRecovery: boolean;
}

const S = (name: string): KeyAttribute => ({ name, type: 'S' });
const N = (name: string): KeyAttribute => ({ name, type: 'N' });

/**
 * Attribute names of the event-index table. Two items per event, written in one transaction:
 * the entry (`pk = H#<hour start epoch seconds>`, `sk = <12-digit EventTimeStamp>#<event id>`) and an id guard
 * (`pk = ID#<event id>`, `sk = #`, holding the entry's key) that makes put idempotent by id and get consistent.
 */
export const INDEX_ATTR = {
  /** Partition key: the UTC hour bucket of `EventTimeStamp` (entries), or `ID#<event id>` (guards). */
  hour: 'pk',
  /** Sort key: `<12-digit zero-padded EventTimeStamp>#<event id>`, so a bucket reads in (timestamp, id) order; `#` for guards. */
  sortKey: 'sk',
  /** The entry's key, on a guard item. */
  entryHour: 'entryPk',
  entrySortKey: 'entrySk',
  id: 'id',
  type: 'type',
  timestamp: 'ts',
  accounts: 'accounts',
  /** First and second account (GSI keys; sparse: absent when the event touches fewer accounts). */
  account0: 'acct0',
  account1: 'acct1',
  objectKey: 'objectKey',
  offset: 'offset',
  length: 'length',
  size: 'size',
  storageClass: 'storageClass',
  restore: 'restore',
  /** Content digest of the event (IndexEntry.digest); absent on items written before digests. */
  digest: 'digest',
  /** Ingestion position (epoch ms × 1000 + tie-break). */
  position: 'pos',
  /** Shard of the position GSI, `P#<0..shards-1>`: spreads the ingestion-ordered writes over partitions. */
  positionShard: 'posShard',
} as const;

/** Key prefixes of the event-index table. */
export const INDEX_PREFIX = { hour: 'H#', guard: 'ID#' } as const;

/**
 * The hour directory in the event-index table (dynamodb-index-directory.ts): an item per UTC hour that holds entries
 * (`pk = HD#<UTC year>`, `sk = <12-digit hour start epoch seconds>`), and one marker (`pk = HD#complete`, `sk = #`)
 * whose `since` (epoch seconds) is the first hour from which the directory lists every hour holding entries. Neither
 * has a GSI key attribute, so the GSIs never see them.
 */
export const INDEX_DIRECTORY = { prefix: 'HD#', marker: 'HD#complete', since: 'since' } as const;

/** GSI names of the event-index table. */
export const INDEX_GSI = {
  byAccount0: 'byAccount0',
  byAccount1: 'byAccount1',
  byObject: 'byObject',
  byPosition: 'byPosition',
} as const;

/** The event-index table. */
export const EVENT_INDEX_TABLE: TableDefinition = {
  partitionKey: S(INDEX_ATTR.hour),
  sortKey: S(INDEX_ATTR.sortKey),
  globalIndexes: [
    { indexName: INDEX_GSI.byAccount0, partitionKey: S(INDEX_ATTR.account0), sortKey: S(INDEX_ATTR.sortKey), projection: 'ALL' },
    { indexName: INDEX_GSI.byAccount1, partitionKey: S(INDEX_ATTR.account1), sortKey: S(INDEX_ATTR.sortKey), projection: 'ALL' },
    { indexName: INDEX_GSI.byObject, partitionKey: S(INDEX_ATTR.objectKey), sortKey: S(INDEX_ATTR.sortKey), projection: 'ALL' },
    { indexName: INDEX_GSI.byPosition, partitionKey: S(INDEX_ATTR.positionShard), sortKey: N(INDEX_ATTR.position), projection: 'ALL' },
  ],
  pointInTimeRecovery: false,
};

/**
 * Attribute names of a projection-generation table. Items are told apart by the prefix of `pk`:
 * `C#<counter key>` (counter), `R#<row key>` (row), `A#<event id>` (idempotency record), `M#checkpoint`.
 */
export const PROJECTION_ATTR = {
  pk: 'pk',
  /** Counter value: a DynamoDB number, read as a string and parsed as bigint (never a JS number). */
  counterValue: 'v',
  rowPartition: 'rowPartition',
  rowKey: 'rowKey',
  /** Row value / checkpoint / memo: canonical JSON text. */
  json: 'json',
  memo: 'memo',
  replay: 'replay',
} as const;

export const PROJECTION_PREFIX = { counter: 'C#', row: 'R#', applied: 'A#', meta: 'M#' } as const;

export const PROJECTION_GSI = { byPartition: 'byPartition' } as const;

/** A projection generation's table (one table per projection and generation, created by the store). */
export const PROJECTION_TABLE: TableDefinition = {
  partitionKey: S(PROJECTION_ATTR.pk),
  globalIndexes: [
    { indexName: PROJECTION_GSI.byPartition, partitionKey: S(PROJECTION_ATTR.rowPartition), sortKey: S(PROJECTION_ATTR.rowKey), projection: 'ALL' },
  ],
  pointInTimeRecovery: true,
};

/**
 * Attribute names of the control table: live/latest generation per projection (`pk = GEN#<projection>`, `sk = #`),
 * snapshot markers (`pk = SNAP#<projection>`, `sk = <13-digit takenAt>#<snapshot id>`),
 * named checkpoints (`pk = CHECKPOINT`, `sk = <name>`).
 */
export const CONTROL_ATTR = {
  pk: 'pk',
  sk: 'sk',
  live: 'live',
  latest: 'latest',
  /** Number set of dropped generations (promote refuses them). */
  dropped: 'dropped',
  position: 'pos',
  snapshot: 'snapshot',
} as const;

export const CONTROL_PREFIX = { generation: 'GEN#', snapshot: 'SNAP#', checkpoint: 'CHECKPOINT' } as const;

/** The control table. */
export const CONTROL_TABLE: TableDefinition = {
  partitionKey: S(CONTROL_ATTR.pk),
  sortKey: S(CONTROL_ATTR.sk),
  globalIndexes: [],
  pointInTimeRecovery: false,
};

/**
 * Default name of a projection generation's table: `<prefix>-<projection>-g<generation>`.
 * The CDK stack grants the projector CreateTable/DeleteTable on `<prefix>-*`.
 */
export function projectionTableName(prefix: string, projection: string, generation: number): string {
  return `${prefix}-${projection}-g${generation}`;
}
