// Querying the log: the Glue database and table (partition projection) and an Athena workgroup that enforces its limits.

import { Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { eventLogTableInput } from '../adapters/aws/glue-table.ts';
import type { EventColumn } from '../domain/query-columns.ts';

export interface LakeQueryProps {
  /** Glue database name (Glue wants lower case and underscores). */
  readonly databaseName: string;
  readonly workGroupName: string;
  readonly bucket: IBucket;
  readonly results: IBucket;
  readonly key: IKey;
  readonly bytesScannedCutoffPerQuery: number;
  readonly firstYear?: number;
  /** Columns for user event types' fields (EventLakeProps.schemaFolders). */
  readonly extraColumns?: readonly EventColumn[];
}

/** The Glue catalogue entries and the Athena workgroup AthenaEventQuery runs in. */
export class LakeQuery extends Construct {
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly databaseName: string;
  readonly tableName: string;

  constructor(scope: Construct, id: string, props: LakeQueryProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    const { databaseName, tableInput } = eventLogTableInput({
      bucketName: props.bucket.bucketName, databaseName: props.databaseName, ...(props.firstYear !== undefined ? { firstYear: props.firstYear } : {}),
      ...(props.extraColumns ? { extraColumns: props.extraColumns } : {}),
    });
    this.databaseName = databaseName;
    this.tableName = tableInput.name;
    this.database = new CfnDatabase(this, 'Database', {
      catalogId, databaseInput: { name: databaseName, description: 'eventlake: the event log as tables' },
    });
    this.table = new CfnTable(this, 'EventsTable', { catalogId, databaseName, tableInput });
    this.table.addResourceDependency(this.database);

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: props.workGroupName,
      description: 'eventlake queries: results encrypted in their own bucket, bytes scanned capped per query',
      // Deleting the stack must not fail because queries have been run.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // Clients cannot override the result location, encryption or the cutoff below.
        enforceWorkGroupConfiguration: true,
        bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        // Engine 3 reads restored Glacier objects (read_restored_glacier_objects on the table).
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: props.results.s3UrlForObject('results/'),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.key.keyArn },
          expectedBucketOwner: catalogId,
        },
      },
    });
  }
}
