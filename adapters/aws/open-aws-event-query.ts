// The EventQuery of a deployed stack: Athena in the stack's workgroup, unreadable (and restoring) objects reported from the index.

import { AthenaClient } from '@aws-sdk/client-athena';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { EventQuery } from '../../domain/ports/event-query.ts';
import { AthenaEventQuery } from './athena-event-query.ts';
import { baseClientConfig, clientOwner, requireRegionOrClose } from './aws-clients.ts';
import { ATHENA_ENV, type AwsEventlakeConfig } from './aws-config.ts';
import { withTableErrors } from './config-errors.ts';
import { DynamoDbEventIndex } from './dynamodb-event-index.ts';
import { accountDeclarations } from '../../schemas/account-fields.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';

/** An open query and how to release what it built. */
export interface AwsEventQuery {
  readonly query: EventQuery;
  close(): Promise<void>;
}

/**
 * Athena over the stack's Glue table, for `eventlake query --target aws`. Athena skips archived objects without a
 * restored copy silently; the index knows them, so each result lists them in `unreadable`, and those whose restore
 * the index records as running in `restoring`, as the local query does.
 * Clients in `config.clients` are used as they are (and stay the caller's); the others are built and closed here.
 *
 * @example
 * const { query, close } = await openAwsEventQuery(awsConfigFrom({ settings, env: process.env }));
 * try { console.log((await query.named('counts_per_type_per_day', { from: '2024-03-01' })).rows); } finally { await close(); }
 */
export async function openAwsEventQuery(config: AwsEventlakeConfig): Promise<AwsEventQuery> {
  if (!config.athena) {
    throw new InvalidArgumentError('athena', `eventlake query --target aws needs the stack's Athena workgroup and Glue database: set "athena": ` +
      `{ "workGroup": …, "database": … } in the config file, or ${ATHENA_ENV.workGroup} and ${ATHENA_ENV.database} (stack outputs WorkGroupName, GlueDatabaseName)`);
  }
  const owner = clientOwner();
  const { close } = owner;
  const base = baseClientConfig(config);
  const athena = config.clients?.athena ?? owner.own(new AthenaClient(base));
  const dynamodb = config.clients?.dynamodb ?? owner.own(new DynamoDBClient(base));
  await requireRegionOrClose(athena, owner);
  // Worded as the lake's own reads are: a wrong indexTable names the setting and the stack output.
  const index = new DynamoDbEventIndex({ client: withTableErrors(dynamodb, config), tableName: config.indexTable });
  const { workGroup, database, outputLocation } = config.athena;
  const query = new AthenaEventQuery({
    client: athena, workGroup, database, ...(outputLocation ? { outputLocation } : {}),
    // The restore state rides along the items already read (no extra request): `restoring` costs nothing more.
    unreadable: (range) => index.unreadableWithRestores(range),
    // The account fields of the schemas the stack was deployed with, which the Glue table has as columns.
    ...(config.schemaFolders?.length ? { accounts: accountDeclarations(SchemaRegistry.load({ folders: config.schemaFolders })) } : {}),
  });
  return { query, close };
}
