// Which keys an AWS config may have: a misspelt key (`schemaFolder` for `schemaFolders`) is refused with the keys
// there are, never ignored, whether it is in a config file (awsConfigFrom) or in the object given to openAwsEventlake.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { describeValue, isOptionsObject, refuseUnknownKeys } from '../../domain/known-keys.ts';
import type { AwsClients } from './aws-clients.ts';
import { withoutFileOnlyKeys } from './config-file-keys.ts';
import type { AthenaSettings } from './aws-config.ts';
import type { AwsOpenConfig } from './open-aws-eventlake.ts';

/** Where openAwsEventlake's errors say the key was found. */
const OPENED = 'the config passed to openAwsEventlake';

// Records over the interfaces' keys: a key added to AwsOpenConfig (or a nested settings type) and not here fails to compile.
const OPEN_KEYS = {
  region: 1, endpoint: 1, forcePathStyle: 1, bucket: 1, indexTable: 1, controlTable: 1, tablePrefix: 1, tableFor: 1, kmsKeyArn: 1,
  pointInTimeRecovery: 1, eventBusName: 1, schemaFolders: 1, snapshots: 1, identityClaims: 1, rebuildFunction: 1, athena: 1,
  projections: 1, now: 1, clients: 1, balanceRules: 1,
} as const satisfies Record<keyof AwsOpenConfig, 1>;

const NESTED_KEYS = {
  snapshots: { restoreTimeoutMs: 1, pollDelayMs: 1 } satisfies Record<keyof NonNullable<AwsOpenConfig['snapshots']>, 1>,
  identityClaims: { staleAfterMs: 1 } satisfies Record<keyof NonNullable<AwsOpenConfig['identityClaims']>, 1>,
  athena: { workGroup: 1, database: 1, outputLocation: 1 } satisfies Record<keyof AthenaSettings, 1>,
  clients: { s3: 1, dynamodb: 1, eventBridge: 1, athena: 1, lambda: 1, sqs: 1 } satisfies Record<keyof AwsClients, 1>,
} as const;

/**
 * Throw `InvalidArgumentError` unless `config` is an object whose keys, and those of its nested settings objects
 * (`snapshots`, `identityClaims`, `athena`, `clients`), are all known: a misspelt option would otherwise be silently
 * ignored (a `schemaFolder` opening the lake without the user's schemas).
 *
 * @example
 * checkOpenKeys({ bucket: 'b', indexTable: 'i', controlTable: 'c', schemaFolder: ['x'] }); // INVALID_ARGUMENT: schemaFolder: unknown key …
 */
export function checkOpenKeys(config: unknown): asserts config is Record<string, unknown> {
  if (!isOptionsObject(config)) {
    throw new InvalidArgumentError('config', `openAwsEventlake takes an object such as { bucket, indexTable, controlTable } (the stack's outputs), got ${describeValue(config)}`);
  }
  // A parsed config file may be passed as it is (the docs say so): its "target" and "extensions" are the CLI's.
  const { target, extensions, ...open } = config;
  withoutFileOnlyKeys({ target, extensions }, OPENED);
  refuseUnknownKeys(open, Object.keys(OPEN_KEYS), OPENED);
  for (const [key, keys] of Object.entries(NESTED_KEYS)) {
    const value = config[key];
    if (value === undefined) continue;
    if (!isOptionsObject(value)) throw new InvalidArgumentError(key, `expected an object in ${OPENED} (known keys: ${Object.keys(keys).join(', ')}), got ${describeValue(value)}`);
    refuseUnknownKeys(value, Object.keys(keys), OPENED, `${key}.`);
  }
}
