// `eventlake repair index --target aws`: the hour directory of a deployed stack's index, backfilled from the config.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { baseClientConfig } from './aws-clients.ts';
import type { AwsEventlakeConfig } from './aws-config.ts';
import { storageCall } from './dynamodb-codec.ts';
import { backfillDirectory, type DirectoryBackfill } from './dynamodb-index-directory-writes.ts';
import { buildAwsClients } from './aws-clients.ts';
import { repairIndexAccounts, type AccountsRepairSources, type IndexAccountsRepair } from './dynamodb-index-accounts-repair.ts';
import { entryHours } from './dynamodb-index-hours-scan.ts';
import { missingTable, repairStep } from './dynamodb-index-repair-steps.ts';

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
 * The hour directory backfilled, then each entry's accounts re-derived from its event in S3 with `schemas`
 * (repairIndexAccounts), both from one key-only Scan of the table: the hours holding entries are listed once and
 * feed both steps (one number per hour, small beside the entries, which are read one hour at a time). A failure says
 * which step did not finish and to run the repair again (dynamodb-index-repair-steps.ts). Clients in `config.clients`
 * stay the caller's.
 *
 * @example
 * const report = await repairAwsIndexTable(config, { accountsOf: registry.accountsOf, knowsType });
 */
export async function repairAwsIndexTable(config: RepairConfig, schemas: Pick<AccountsRepairSources, 'accountsOf' | 'knowsType'>): Promise<AwsIndexRepair> {
  const { clients, owned } = buildAwsClients(config);
  const table = config.indexTable;
  try {
    const hours = await repairStep('scan', config, () => entryHours(clients.dynamodb, table));
    const directory = await repairStep('directory', config, () => backfillDirectory({ client: clients.dynamodb, table }, hours));
    const accounts = await repairStep('accounts', config, () => repairIndexAccounts({
      dynamodb: clients.dynamodb, table, s3: clients.s3, bucket: config.bucket, hours, ...schemas,
    }), directory);
    return { table, ...directory, accounts };
  } finally {
    for (const client of owned) client.destroy();
  }
}
