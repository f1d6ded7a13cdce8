// The Glue table Athena reads the log through: JSON SerDe over the flat event fields, hour partitions by projection.
//
// Pure data (no CDK import): infra passes it to CfnTable, tests assert it. Why partition projection: partitions
// are computed from the key layout, so no crawler runs and no MSCK REPAIR / ADD PARTITION is ever needed.

import type { ColumnType } from '../../domain/query-columns.ts';
import { eventColumns, PARTITION_COLUMNS, type EventColumn } from '../../domain/query-columns.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';

export const EVENT_LOG_DATABASE = 'eventlake';
/** The catalogue's SQL reads the table `events`; AthenaEventQuery expects this name in its database. */
export const EVENT_LOG_TABLE = 'events';
/**
 * OpenX, though Athena warns its results can be non-deterministic and recommends the Hive JSON SerDe: the text columns
 * (schemas/columns.ts JSON_TEXT) need a SerDe that reads an object or a number into a string column as its JSON text,
 * which OpenX does and Trino's Hive JSON reader refuses (README, Limits). Key case is no reason: both match in lower case.
 */
export const JSON_SERDE = 'org.openx.data.jsonserde.JsonSerDe';
export const TEXT_INPUT_FORMAT = 'org.apache.hadoop.mapred.TextInputFormat';
export const TEXT_OUTPUT_FORMAT = 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat';
/** Default first year of the projection; earlier partitions are invisible to Athena. */
export const FIRST_YEAR = 2020;
/** The schemas accept EventTimeStamp up to 2100-01-01T00:00:00Z. */
export const LAST_YEAR = 2100;

/** A Glue column, in CfnTable's spelling. Athena lower-cases names; the SerDe matches JSON keys case-insensitively. */
export interface GlueColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly comment?: string;
}

/** CfnTable.TableInputProperty's shape, for the fields this table uses (arrays mutable, as CfnTable's types want). */
export interface GlueTableInput {
  readonly name: string;
  readonly description: string;
  readonly tableType: 'EXTERNAL_TABLE';
  readonly parameters: Readonly<Record<string, string>>;
  readonly partitionKeys: GlueColumn[];
  readonly storageDescriptor: {
    readonly columns: GlueColumn[];
    readonly location: string;
    readonly inputFormat: string;
    readonly outputFormat: string;
    readonly serdeInfo: { readonly serializationLibrary: string; readonly parameters: Readonly<Record<string, string>> };
  };
}

export interface EventLogTableOptions {
  /** The log's bucket (a CDK token is fine). */
  readonly bucketName: string;
  readonly databaseName?: string;
  readonly tableName?: string;
  readonly firstYear?: number;
  /** Columns for your own event types' fields, beside the built-in ones (`schemaColumns(registry).columns`). */
  readonly extraColumns?: readonly EventColumn[];
}

/** The partition projection of `events/year=YYYY/month=MM/day=DD/hour=HH/`, as table parameters. */
export function projectionParameters(bucketName: string, firstYear: number): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.year.type': 'integer',
    'projection.year.range': `${firstYear},${LAST_YEAR}`,
    'projection.year.digits': '4',
    'projection.month.type': 'integer',
    'projection.month.range': '1,12',
    'projection.month.digits': '2',
    'projection.day.type': 'integer',
    'projection.day.range': '1,31',
    'projection.day.digits': '2',
    'projection.hour.type': 'integer',
    'projection.hour.range': '0,23',
    'projection.hour.digits': '2',
    'storage.location.template': `s3://${bucketName}/events/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
  };
}

/**
 * The Glue database and table input of the event log, shaped as CfnTable props.
 *
 * @example
 * new glue.CfnTable(this, 'EventsTable', { catalogId: this.account, ...eventLogTableInput({ bucketName: bucket.bucketName }) });
 */
export function eventLogTableInput(options: EventLogTableOptions): { databaseName: string; tableInput: GlueTableInput } {
  const { bucketName, databaseName = EVENT_LOG_DATABASE, tableName = EVENT_LOG_TABLE, firstYear = FIRST_YEAR } = options;
  if (!bucketName || bucketName.includes('/')) throw new InvalidArgumentError('bucketName', `${JSON.stringify(bucketName)} is not a bucket name`);
  if (!Number.isInteger(firstYear) || firstYear < 1970 || firstYear > LAST_YEAR) {
    throw new InvalidArgumentError('firstYear', `${firstYear} is not a year between 1970 and ${LAST_YEAR}`);
  }
  return {
    databaseName,
    tableInput: {
      name: tableName,
      description: 'eventlake event log: one JSON event per line, in one-event objects and compacted hour segments',
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        classification: 'json',
        EXTERNAL: 'TRUE',
        ...projectionParameters(bucketName, firstYear),
        // Without it Athena skips restored Glacier objects; with it, they are read while the restored copy lasts.
        read_restored_glacier_objects: 'true',
      },
      partitionKeys: PARTITION_COLUMNS.map((name) => ({ name, type: 'string' })),
      storageDescriptor: {
        columns: eventColumns(options.extraColumns).map((c) => ({ name: c.name.toLowerCase(), type: c.type, ...(c.comment ? { comment: c.comment } : {}) })),
        location: `s3://${bucketName}/events/`,
        inputFormat: TEXT_INPUT_FORMAT,
        outputFormat: TEXT_OUTPUT_FORMAT,
        serdeInfo: {
          serializationLibrary: JSON_SERDE,
          // A malformed line fails the query instead of vanishing from a reconciliation.
          parameters: { 'ignore.malformed.json': 'false', 'case.insensitive': 'true', 'serialization.format': '1' },
        },
      },
    },
  };
}
