// The DynamoDB stores of the projector and rebuild functions, configured from their environment (LAMBDA_ENV).

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPitrSnapshotStore } from '../dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from '../dynamodb-projection-store.ts';
import type { TableSettings } from '../dynamodb-tables.ts';
import { LAMBDA_ENV, requireEnv } from './config.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** How generation tables are created here: with the lake key when EVENTLAKE_KMS_KEY_ARN is set (the stack sets it). */
export function tableSettingsFrom(env: Env = process.env): TableSettings {
  const kmsKeyArn = env[LAMBDA_ENV.kmsKeyArn];
  return kmsKeyArn ? { kmsKeyArn } : {};
}

/**
 * The projection store of a function: control table and table prefix from the environment, new generation tables
 * encrypted with the lake key. The projector passes `createTables: false` (its tables exist before it writes).
 *
 * @example
 * const store = projectionStoreFromEnv(functionClients(tools.tracer).dynamodb, { createTables: false });
 */
export function projectionStoreFromEnv(client: DynamoDBClient, options: { createTables?: boolean } = {}, env: Env = process.env): DynamoDbProjectionStore {
  return new DynamoDbProjectionStore({
    client, controlTableName: requireEnv(LAMBDA_ENV.controlTable, env), tablePrefix: env[LAMBDA_ENV.tablePrefix] ?? 'eventlake',
    tableSettings: tableSettingsFrom(env), ...(options.createTables !== undefined ? { createTables: options.createTables } : {}),
  });
}

/**
 * The PITR snapshot store of the rebuild function: restored generation tables get the lake key, like created ones.
 *
 * @example
 * const snapshots = snapshotStoreFromEnv(client, store);
 */
export function snapshotStoreFromEnv(client: DynamoDBClient, store: Pick<DynamoDbProjectionStore, 'tableFor'>, env: Env = process.env): DynamoDbPitrSnapshotStore {
  const { kmsKeyArn } = tableSettingsFrom(env);
  return new DynamoDbPitrSnapshotStore({
    client, controlTableName: requireEnv(LAMBDA_ENV.controlTable, env), tableFor: store.tableFor, ...(kmsKeyArn ? { kmsKeyArn } : {}),
  });
}
