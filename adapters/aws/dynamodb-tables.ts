// Creating, awaiting and deleting DynamoDB tables from the table-keys descriptions (projection generations, tests).

import {
  CreateTableCommand, DeleteTableCommand, DescribeTableCommand, UpdateContinuousBackupsCommand, UpdateTableCommand, type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TransientError } from '../../domain/errors.ts';
import { backoff, errorName, withRetries } from './dynamodb-codec.ts';
import type { KeyAttribute, TableDefinition } from './table-keys.ts';

/** How tables the adapters create themselves (projection generations) are set up, to match the provisioned ones. */
export interface TableSettings {
  /** Customer-managed KMS key for server-side encryption (default: DynamoDB's own key). */
  readonly kmsKeyArn?: string;
  /** Turn point-in-time recovery on when the definition asks for it (default true; DynamoDB Local has no PITR). */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Create the table with deletion protection, as the stack creates generation 1: a generation is a bank's records,
   * dropped only on purpose, by `dropGeneration`, which turns protection off first. Default: on for a table under a
   * customer key (`kmsKeyArn`), as a deployed lake's rebuild and CLI create them; off without one (tests, DynamoDB
   * Local, scratch tables), whose cleanup deletes tables directly.
   */
  readonly deletionProtection?: boolean;
}

/** The CreateTable request of a table described in table-keys (on-demand billing; deletion protection: TableSettings). */
export function createTableInput(tableName: string, def: TableDefinition, settings: TableSettings = {}): CreateTableCommandInput {
  const attrs = new Map<string, KeyAttribute>();
  const keep = (a: KeyAttribute | undefined) => { if (a) attrs.set(a.name, a); };
  keep(def.partitionKey); keep(def.sortKey);
  for (const g of def.globalIndexes) { keep(g.partitionKey); keep(g.sortKey); }
  const schema = (pk: KeyAttribute, sk?: KeyAttribute) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: schema(def.partitionKey, def.sortKey),
    DeletionProtectionEnabled: settings.deletionProtection ?? settings.kmsKeyArn !== undefined,
    ...(settings.kmsKeyArn ? { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: settings.kmsKeyArn } } : {}),
    ...(def.globalIndexes.length > 0 ? {
      GlobalSecondaryIndexes: def.globalIndexes.map((g) => ({
        IndexName: g.indexName, KeySchema: schema(g.partitionKey, g.sortKey), Projection: { ProjectionType: g.projection },
      })),
    } : {}),
  };
}

export interface WaitOptions {
  /** Give up after this long (ms). Default 10 minutes: a PITR restore of a big table takes a while. */
  readonly timeoutMs?: number;
  /** First delay between polls (ms); doubles up to 20 s. Default 500. */
  readonly initialDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Poll DescribeTable with exponential backoff until the table is ACTIVE (`'active'`) or gone (`'deleted'`).
 * Throws TransientError when the deadline passes, so a caller may simply retry later, and what `refuse` returns for a
 * status no wait will change (`GONE` for a missing table).
 */
export async function waitForTable(client: DynamoDBClient, tableName: string, until: 'active' | 'deleted', options: WaitOptions = {}, refuse?: (status: string) => Error | undefined): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let delay = options.initialDelayMs ?? 500;
  for (;;) {
    let status: string | undefined;
    try {
      const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
      status = out.Table?.TableStatus;
    } catch (error) {
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
      status = 'GONE';
    }
    if (until === 'active' && status === 'ACTIVE') return;
    if (until === 'deleted' && status === 'GONE') return;
    const refused = status === undefined ? undefined : refuse?.(status);
    if (refused) throw refused;
    if (Date.now() + delay > deadline) throw new TransientError(`table ${tableName} is ${status ?? 'unknown'}, not ${until} yet: retry later`);
    await sleep(delay);
    delay = Math.min(delay * 2, 20_000);
  }
}

/** Create the table unless it exists, wait until it is ACTIVE, then turn PITR on if the definition and settings ask. */
export async function ensureTable(client: DynamoDBClient, tableName: string, def: TableDefinition, options: WaitOptions & TableSettings = {}): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName, def, options)));
  } catch (error) {
    if (errorName(error) !== 'ResourceInUseException') throw error;
  }
  await waitForTable(client, tableName, 'active', options);
  if (def.pointInTimeRecovery && (options.pointInTimeRecovery ?? true)) await enablePitr(client, tableName);
}

/** Turn point-in-time recovery on (idempotent). A table just created may briefly refuse; that is retried. */
export async function enablePitr(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let n = 0; ; n++) {
    try {
      await withRetries('UpdateContinuousBackups', () => client.send(new UpdateContinuousBackupsCommand({
        TableName: tableName, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      })));
      return;
    } catch (error) {
      if (errorName(error) !== 'ContinuousBackupsUnavailableException' || n >= 8) throw error;
      await sleep(backoff(n, 500));
    }
  }
}

/**
 * Turn the table's deletion protection on or off unless it already is, and wait until the table is ACTIVE again. On:
 * a restored generation table, which RestoreTableToPointInTime creates without it. Off: a generation about to be
 * dropped (the stack protects the generation-1 tables it creates). A missing table is left missing.
 */
export async function setDeletionProtection(client: DynamoDBClient, tableName: string, enabled: boolean, options?: WaitOptions): Promise<void> {
  let current: boolean;
  try {
    const out = await withRetries('DescribeTable', () => client.send(new DescribeTableCommand({ TableName: tableName })));
    current = out.Table?.DeletionProtectionEnabled === true;
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return;
    throw error;
  }
  if (current === enabled) return;
  await withRetries('UpdateTable', () => client.send(new UpdateTableCommand({ TableName: tableName, DeletionProtectionEnabled: enabled })));
  await waitForTable(client, tableName, 'active', options);
}

/** Turn the table's deletion protection off if it is on, so that a deliberate drop can delete it (setDeletionProtection). */
export async function removeDeletionProtection(client: DynamoDBClient, tableName: string, options?: WaitOptions): Promise<void> {
  await setDeletionProtection(client, tableName, false, options);
}

/**
 * Delete the table if it exists and wait until it is gone. Throws `TransientError` naming the fix while the table is
 * still being created or restored (CREATING), which DynamoDB refuses to delete: a PITR restore takes up to hours.
 */
export async function deleteTable(client: DynamoDBClient, tableName: string, options?: WaitOptions): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') return;
    if (errorName(error) !== 'ResourceInUseException') throw error;
    await refusedDelete(client, tableName, error);
  }
  await waitForTable(client, tableName, 'deleted', options);
}

/** Why DeleteTable said the table is in use: gone or being deleted already (then waited for), or busy (thrown). */
async function refusedDelete(client: DynamoDBClient, tableName: string, error: unknown): Promise<void> {
  let table;
  try {
    table = (await withRetries('DescribeTable', () => client.send(new DescribeTableCommand({ TableName: tableName })))).Table;
  } catch (described) {
    if (errorName(described) === 'ResourceNotFoundException') return;
    throw described;
  }
  if (table?.TableStatus === 'DELETING') return;
  const restoring = table?.RestoreSummary?.RestoreInProgress === true || (table?.TableStatus === 'CREATING' && table.RestoreSummary !== undefined);
  const what = restoring ? 'restored (a PITR restore of a big table takes hours)' : table?.TableStatus === 'CREATING' ? 'created' : `updated (${table?.TableStatus ?? 'status unknown'})`;
  throw new TransientError(`table ${tableName} is still being ${what}, and DynamoDB deletes a table only once that is done: ` +
    // Not `aws dynamodb wait table-exists`: it gives up after about 8 minutes, and a restore takes hours.
    `try again once \`aws dynamodb describe-table --table-name ${tableName} --query Table.TableStatus\` says ACTIVE`, { cause: error });
}
