// DynamoDB tables built from the adapters' table descriptions (table-keys.ts), so keys and GSIs cannot drift.

import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  CONTROL_TABLE, EVENT_INDEX_TABLE, PROJECTION_TABLE, projectionTableName, type KeyAttribute, type TableDefinition,
} from '../adapters/aws/table-keys.ts';

const attribute = (a: KeyAttribute): Attribute => ({ name: a.name, type: a.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

/**
 * A table of `def`: on demand, KMS with the lake's key, point-in-time recovery and deletion protection on.
 * PITR is on for every table (not only where `def.pointInTimeRecovery` requires it): the index and the control
 * table are as much a bank's records as the projections.
 */
export function tableFrom(scope: Construct, id: string, tableName: string, def: TableDefinition, key: IKey): Table {
  const table = new Table(scope, id, {
    tableName,
    partitionKey: attribute(def.partitionKey),
    ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const g of def.globalIndexes) {
    table.addGlobalSecondaryIndex({
      indexName: g.indexName,
      partitionKey: attribute(g.partitionKey),
      ...(g.sortKey ? { sortKey: attribute(g.sortKey) } : {}),
      projectionType: g.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
    });
  }
  return table;
}

/** Physical names of the lake's tables. */
export const tableNames = {
  index: (prefix: string) => `${prefix}-index`,
  control: (prefix: string) => `${prefix}-control`,
  /** Generation 1 of a projection; later generations are created by rebuilds under the same naming scheme. */
  projection: (prefix: string, projection: string) => projectionTableName(prefix, projection, 1),
};

/** The index table, the control table, and generation 1 of each projection. */
export class LakeTables extends Construct {
  readonly index: Table;
  readonly control: Table;
  /** Generation-1 table per projection name. */
  readonly projections: ReadonlyMap<string, Table>;

  constructor(scope: Construct, id: string, props: { prefix: string; projections: readonly string[]; key: IKey }) {
    super(scope, id);
    this.index = tableFrom(this, 'Index', tableNames.index(props.prefix), EVENT_INDEX_TABLE, props.key);
    this.control = tableFrom(this, 'Control', tableNames.control(props.prefix), CONTROL_TABLE, props.key);
    this.projections = new Map(props.projections.map((p) => [p, tableFrom(this, `Projection-${p}`, tableNames.projection(props.prefix, p), PROJECTION_TABLE, props.key)]));
  }
}
