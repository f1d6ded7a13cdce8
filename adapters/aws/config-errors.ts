// Failures that mean the config names the wrong bucket, table, region or account. The SDK's words name neither the
// resource nor the setting (DynamoDB Local: "Cannot do operations on a non-existent table"; S3: "NoSuchBucket"), so the
// lake's own wrappers of its clients word them: which resource, which setting names it, where it was looked for, the fix.

import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { StorageError } from '../../domain/errors.ts';
import { envEndpoint, type AwsEventlakeConfig } from './aws-config.ts';
import { errorCode, setConfigFix } from './errors.ts';
import { LAMBDA_ENV } from './lambda/config.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Names = Pick<AwsEventlakeConfig, 'bucket' | 'indexTable' | 'controlTable' | 'tablePrefix' | 'endpoint'>;
/** What a fix says of the place a resource was looked for. */
interface Place { readonly region: string; readonly endpoint: string | undefined }

const where = (p: Place) => `in region ${p.region}${p.endpoint ? ` at ${p.endpoint}` : ''}`;

/**
 * How a fix names the settings, by who reads them: the CLI and openAwsEventlake (a config key or its variable), or a
 * Lambda function of the stack (its environment variable, which the stack sets).
 */
export interface ConfigWording {
  /** The setting of config key `key`, read from environment variable `variable`. */
  setting(key: string, variable: string): string;
  /** The rest of the fix: the region and the credentials. */
  readonly account: string;
  /** The fix for credentials the service does not recognize. */
  readonly credentials: string;
  /** The fix for a resource that does not exist there. */
  readonly deploy: string;
  /** What the fix of a denied bucket adds after `account`. */
  readonly allowed: string;
}

/** The CLI's and openAwsEventlake's wording. */
export const CONFIG_WORDING: ConfigWording = {
  setting: (key, variable) => `"${key}" in the config (the --config file) or ${variable}`,
  account: 'region (AWS_REGION or "region") to the stack\'s region, with credentials of the stack\'s account (AWS_PROFILE)',
  credentials: 'set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION to the stack\'s account and region',
  deploy: 'or deploy the stack there',
  allowed: ', allowed to use it',
};

/** A stack function's wording: its settings are environment variables the stack sets, its credentials its role's. */
export const FUNCTION_WORDING: ConfigWording = {
  setting: (_key, variable) => `the function's environment variable ${variable}`,
  account: 'run the function in the stack\'s region and account with the execution role the stack grants (deploying the stack again sets the variables and the role)',
  credentials: 'run the function with the execution role the stack grants, in the stack\'s account and region (deploy the stack again)',
  deploy: 'or deploy the stack again',
  allowed: '',
};

/** What `table` is to the lake, the setting that names it, and the stack output that holds its name. */
function tableSetting(names: Names, table: string, w: ConfigWording): string {
  if (table === names.indexTable) return `the index table, named by ${w.setting('indexTable', LAMBDA_ENV.indexTable)}: set it to the stack's IndexTableName output`;
  if (table === names.controlTable) return `the control table, named by ${w.setting('controlTable', LAMBDA_ENV.controlTable)}: set it to the stack's ControlTableName output`;
  return `a projection generation table, named from ${w.setting('tablePrefix', LAMBDA_ENV.tablePrefix)} (default eventlake): set it to the stack's TablePrefix output`;
}

/** The fix for a DynamoDB error about `tables` that a config mistake explains, or undefined. */
export function dynamoDbFix(error: unknown, tables: readonly string[], names: Names, place: Place, w: ConfigWording = CONFIG_WORDING): string | undefined {
  const code = errorCode(error);
  if (code === 'UnrecognizedClientException') return `the credentials in use are not valid ${where(place)}: ${w.credentials}`;
  if (tables.length === 0) return undefined;
  const what = tables.map((t) => `${t} is ${tableSetting(names, t, w)}`).join('; ');
  // A batch or transaction names several tables, and DynamoDB does not say which one it means.
  const table = tables.length === 1 ? `table ${tables[0]}` : `one of tables ${tables.join(', ')}`;
  if (code === 'ResourceNotFoundException') {
    return `${table} does not exist ${where(place)} for the credentials in use: ${what}, and ${w.account}; ${w.deploy}`;
  }
  if (code === 'AccessDeniedException') return `the credentials in use may not use ${table} ${where(place)}: ${what}, and ${w.account}`;
  return undefined;
}

/** S3's codes for credentials that may not use the bucket (HeadObject's bodiless 403 is `Forbidden`). */
const DENIED = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled', 'InvalidAccessKeyId', 'SignatureDoesNotMatch']);

/** The StorageError for an S3 failure that a config mistake explains (no such bucket, access denied), or undefined. */
export function s3ConfigError(error: unknown, command: string, names: Names, place: Place, w: ConfigWording = CONFIG_WORDING): StorageError | undefined {
  const code = errorCode(error);
  const sdk = `(${command}: ${code}: ${error instanceof Error ? error.message : String(error)})`;
  const fix = `the bucket is named by ${w.setting('bucket', LAMBDA_ENV.bucket)}: set it to the stack's BucketName output, and ${w.account}`;
  if (code === 'NoSuchBucket') {
    return new StorageError(`S3: bucket ${names.bucket} does not exist ${where(place)} ${sdk}: ${fix}; ${w.deploy} (on an emulator, create the bucket)`, { cause: error });
  }
  // By code, not by status: an archived object's GetObject is a 403 too (InvalidObjectState), read as EVENT_ARCHIVED.
  // CopyObject's AccessDenied is the stack's policy refusing a manual archive move, which S3ArchiveTier words itself.
  if (DENIED.has(code ?? '') && command !== 'CopyObjectCommand') {
    return new StorageError(`S3: access to bucket ${names.bucket} was denied ${where(place)} ${sdk}: ${fix}${w.allowed}`, { cause: error });
  }
  return undefined;
}

/** The tables a DynamoDB request names: TableName, or those of a batch's RequestItems or a transaction's items. */
export function tablesOf(input: unknown): string[] {
  const i = (input ?? {}) as { TableName?: string; RequestItems?: Record<string, unknown>; TransactItems?: Record<string, { TableName?: string } | undefined>[] };
  if (typeof i.TableName === 'string') return [i.TableName];
  if (i.RequestItems) return Object.keys(i.RequestItems);
  const named = (i.TransactItems ?? []).flatMap((item) => Object.values(item).map((action) => action?.TableName).filter((t): t is string => typeof t === 'string'));
  return [...new Set(named)];
}

async function placeOf(client: { config: { region: () => Promise<string> } }, endpoint: string | undefined): Promise<Place> {
  const region = await client.config.region().catch(() => 'unset');
  return { region, endpoint };
}

/** The client a wrapper wraps: a lake's client given to another lake is wrapped once, with that lake's names only. */
const wrapped = new WeakMap<object, object>();
type Sendable = { send(command: unknown, ...rest: unknown[]): Promise<unknown> };

/**
 * `client` whose `send` passes each failure through `reword`; everything else (config, middlewareStack, destroy) is
 * the client's own, and the client itself is not changed. Why not middleware on the client: an injected client is the
 * caller's, whose own calls must keep the SDK's errors, and a second lake on it must word its own names, not the first's.
 */
function rewording<T extends object>(client: T, reword: (error: unknown, command: { input?: unknown }) => Promise<unknown>): T {
  const target = (wrapped.get(client) ?? client) as T & Sendable;
  const send = (command: { input?: unknown }, ...rest: unknown[]) => {
    // The callback form answers through the callback (send returns nothing): the lake never uses it, so it is left as is.
    if (typeof rest.at(-1) === 'function') return target.send(command, ...rest);
    // Awaited, not `.catch`: a test's stubbed send (aws-sdk-client-mock) answers a command it was not told of with undefined.
    return (async () => {
      try {
        return await target.send(command, ...rest);
      } catch (error) {
        throw await reword(error, command);
      }
    })();
  };
  const wrapper = new Proxy(target, { get: (t, prop) => (prop === 'send' ? send : Reflect.get(t, prop, t)) });
  wrapped.set(wrapper, target);
  return wrapper;
}

/**
 * The lake's own S3 and DynamoDB clients, wording the failures that a wrong config explains: an S3 NoSuchBucket or
 * AccessDenied becomes a StorageError naming the bucket, its setting and the fix; a DynamoDB error about a missing or
 * forbidden table keeps its SDK shape (callers branch on ResourceNotFoundException) and gets the fix `storageError`
 * appends. The clients given stay as they are: their owner's own calls fail as the SDK fails, and each lake's
 * wrappers word that lake's `names`. `wording` names the settings as the reader of `names` knows them (a stack
 * function: FUNCTION_WORDING).
 *
 * @example
 * const { s3, dynamodb } = withConfigErrors({ s3: userS3, dynamodb: userDynamoDb }, config);
 * new S3EventLog({ client: s3, bucket: config.bucket });
 */
export function withConfigErrors(clients: { s3: S3Client; dynamodb: DynamoDBClient }, names: Names, env: Env = process.env, wording: ConfigWording = CONFIG_WORDING): { s3: S3Client; dynamodb: DynamoDBClient } {
  const { s3, dynamodb } = clients;
  return {
    s3: rewording(s3, async (error, command) => {
      const name = (command as { constructor?: { name?: string } }).constructor?.name || 'S3';
      return s3ConfigError(error, name, names, await placeOf(s3, names.endpoint ?? envEndpoint(env, 'S3')), wording) ?? error;
    }),
    dynamodb: withTableErrors(dynamodb, names, env, wording),
  };
}

/** The DynamoDB half of `withConfigErrors`, for a reader that has no S3 client (the AWS event query's index). */
export function withTableErrors(dynamodb: DynamoDBClient, names: Names, env: Env = process.env, wording: ConfigWording = CONFIG_WORDING): DynamoDBClient {
  return rewording(dynamodb, async (error, command) => {
    const fix = typeof error === 'object' && error !== null
      ? dynamoDbFix(error, tablesOf(command.input), names, await placeOf(dynamodb, names.endpoint ?? envEndpoint(env, 'DYNAMODB')), wording)
      : undefined;
    if (fix) setConfigFix(error as object, fix);
    return error;
  });
}
