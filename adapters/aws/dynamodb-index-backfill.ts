// `eventlake repair index --target aws`: the hour directory of a deployed stack's index, backfilled from the config.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { baseClientConfig } from './aws-clients.ts';
import type { AwsEventlakeConfig } from './aws-config.ts';
import { StorageError } from '../../domain/errors.ts';
import { errorName, storageCall } from './dynamodb-codec.ts';
import { backfillDirectory, type DirectoryBackfill } from './dynamodb-index-directory-writes.ts';
import { buildAwsClients } from './aws-clients.ts';
import { repairIndexAccounts, type AccountsRepairSources, type IndexAccountsRepair } from './dynamodb-index-accounts-repair.ts';

/** What the backfill of one index table did. */
export interface IndexDirectoryRepair extends DirectoryBackfill {
  readonly table: string;
}

/**
 * Complete the hour directory of the stack's index table (`config.indexTable`), so that range reads of an index
 * older than the directory query only the hours holding events. A client in `config.clients` stays the caller's.
 *
 * @example
 * const report = await repairIndexDirectory(awsConfigFrom({ settings, env: process.env }));
 */
export async function repairIndexDirectory(config: Pick<AwsEventlakeConfig, 'indexTable' | 'region' | 'endpoint' | 'clients'>): Promise<IndexDirectoryRepair> {
  const client = config.clients?.dynamodb ?? new DynamoDBClient(baseClientConfig(config));
  try {
    const done = await storageCall(`backfilling the hour directory of ${config.indexTable}`, () => backfillDirectory({ client, table: config.indexTable }))
      .catch((error: unknown) => { throw missingTable(config, error); });
    return { table: config.indexTable, ...done };
  } finally {
    if (client !== config.clients?.dynamodb) client.destroy();
  }
}

/** What `repair index --target aws` did: the hour directory backfilled, then every entry's accounts re-derived. */
export interface AwsIndexRepair extends IndexDirectoryRepair {
  readonly accounts: IndexAccountsRepair;
}

type RepairConfig = Pick<AwsEventlakeConfig, 'indexTable' | 'bucket' | 'region' | 'endpoint' | 'forcePathStyle' | 'clients'>;

/**
 * The hour directory backfilled (repairIndexDirectory), then each entry's accounts re-derived from its event in S3
 * with `schemas` (repairIndexAccounts). Clients in `config.clients` stay the caller's.
 *
 * @example
 * const report = await repairAwsIndexTable(config, { accountsOf: registry.accountsOf, knowsType });
 */
export async function repairAwsIndexTable(config: RepairConfig, schemas: Pick<AccountsRepairSources, 'accountsOf' | 'knowsType'>): Promise<AwsIndexRepair> {
  const { clients, owned } = buildAwsClients(config);
  try {
    const directory = await repairIndexDirectory({ ...config, clients });
    const accounts = await storageCall(`re-deriving the accounts of ${config.indexTable}`, () => repairIndexAccounts({
      dynamodb: clients.dynamodb, table: config.indexTable, s3: clients.s3, bucket: config.bucket, ...schemas,
    }));
    return { ...directory, accounts };
  } finally {
    for (const client of owned) client.destroy();
  }
}

/** A missing table, as the fix: most often the config names another stack's (or region's) index. */
function missingTable(config: Pick<AwsEventlakeConfig, 'indexTable' | 'region'>, error: unknown): unknown {
  if (errorName((error as { cause?: unknown }).cause) !== 'ResourceNotFoundException') return error;
  return new StorageError(
    `DynamoDB: index table ${config.indexTable} not found in ${config.region ?? 'the default region'}: set indexTable (and region) in the config ` +
    'to the stack\'s IndexTableName output and region', { cause: error },
  );
}
