// What an eventlake on AWS needs to know (bucket, tables, bus, region), read from a config file and the environment.

import { InvalidArgumentError } from '../../domain/errors.ts';
import { refuseUnknownKeys } from '../../domain/known-keys.ts';
import type { Projection } from '../../domain/projection.ts';
import type { AwsClients } from './aws-clients.ts';
import { positiveIntsOf } from './aws-config-numbers.ts';
import { withoutFileOnlyKeys } from './config-file-keys.ts';
import { LAMBDA_ENV } from './lambda/config.ts';

/**
 * Where a deployed eventlake lives. The names are the stack's outputs; credentials always come from the standard
 * AWS credential chain (never from this config).
 *
 * @example
 * const config: AwsEventlakeConfig = { region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };
 */
export interface AwsEventlakeConfig {
  /** Default: the SDK's chain (AWS_REGION, then the profile's region). */
  readonly region?: string;
  /** One endpoint for every service (an emulator). Default: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, which the SDK reads itself. */
  readonly endpoint?: string;
  /** Path-style S3 URLs; default true whenever an endpoint is set (here or in AWS_ENDPOINT_URL[_S3]), false on AWS. */
  readonly forcePathStyle?: boolean;
  /** The log's bucket. */
  readonly bucket: string;
  /** The DynamoDbEventIndex table. */
  readonly indexTable: string;
  /** The control table: live generations, snapshot markers, checkpoints. */
  readonly controlTable: string;
  /** Prefix of the projection generation tables (default `eventlake`). */
  readonly tablePrefix?: string;
  /** Table name of a projection generation, when the stack does not use `<prefix>-<projection>-g<generation>`. */
  readonly tableFor?: (projection: string, generation: number) => string;
  /** Customer-managed KMS key of the stack's tables: new generation tables and PITR restores use it too. */
  readonly kmsKeyArn?: string;
  /** Turn PITR on for new generation tables (default true; false for emulators without PITR, e.g. DynamoDB Local). */
  readonly pointInTimeRecovery?: boolean;
  /** The bus the indexer publishes to; only needed to publish from here (`runtime.dispatcher`). */
  readonly eventBusName?: string;
  /** Extra schema folders (user event types). */
  readonly schemaFolders?: readonly string[];
  /** How long a PITR restore may take before the rebuild gives up (ms, default 10 min), and the first poll delay. */
  readonly snapshots?: { readonly restoreTimeoutMs?: number; readonly pollDelayMs?: number };
  /**
   * How `emit` claims identities in the control table. `staleAfterMs` (whole ms >= 1, default 5 minutes): the age after
   * which a claim whose object was never written counts as an emitter's that crashed, so other content for that
   * identity may replace it; keep it above your longest PutObject plus the clock skew between emitters.
   */
  readonly identityClaims?: { readonly staleAfterMs?: number };
  /** The stack's rebuild function (output RebuildFunctionName; name or ARN), which `eventlake rebuild --remote` invokes. */
  readonly rebuildFunction?: string;
  /** Where `eventlake query` runs: the stack's Athena workgroup and Glue database (outputs WorkGroupName, GlueDatabaseName). */
  readonly athena?: AthenaSettings;
  /** Extra projections beside the built-in balances and statement. */
  readonly projections?: readonly Projection[];
  /** Wall clock, epoch ms. */
  readonly now?: () => number;
  /** Clients to use instead of building them (tests, custom middleware); the caller keeps ownership. */
  readonly clients?: Partial<AwsClients>;
}

/** The Athena side of a deployed lake. */
export interface AthenaSettings {
  /** Athena workgroup (the stack's enforces its own result location and bytes-scanned cutoff). */
  readonly workGroup: string;
  /** Glue database holding the table `events`. */
  readonly database: string;
  /** `s3://…/` for results, only for a workgroup that does not enforce its own. */
  readonly outputLocation?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Environment variables of the `athena` settings (they override the config file). */
export const ATHENA_ENV = {
  workGroup: 'EVENTLAKE_ATHENA_WORKGROUP',
  database: 'EVENTLAKE_GLUE_DATABASE',
  outputLocation: 'EVENTLAKE_ATHENA_OUTPUT_LOCATION',
} as const;

/** Environment variable of `rebuildFunction` (not a Lambda variable: no function reads it, the CLI does). */
export const REBUILD_FUNCTION_ENV = 'EVENTLAKE_REBUILD_FUNCTION';

/** The settings a config file may hold, with the environment variable that overrides each. */
const STRING_SETTINGS = {
  region: 'AWS_REGION',
  endpoint: undefined,
  bucket: LAMBDA_ENV.bucket,
  indexTable: LAMBDA_ENV.indexTable,
  controlTable: LAMBDA_ENV.controlTable,
  tablePrefix: LAMBDA_ENV.tablePrefix,
  eventBusName: LAMBDA_ENV.eventBus,
  rebuildFunction: REBUILD_FUNCTION_ENV,
  kmsKeyArn: undefined,
} as const satisfies Record<string, string | undefined>;

type StringSetting = keyof typeof STRING_SETTINGS;
const REQUIRED = ['bucket', 'indexTable', 'controlTable'] as const;
/** Every key `awsConfigFrom` accepts in a config file. */
export const AWS_CONFIG_KEYS: readonly string[] = [...Object.keys(STRING_SETTINGS), 'forcePathStyle', 'pointInTimeRecovery', 'snapshots', 'identityClaims', 'athena'];

/** The endpoint the SDK takes from the environment for `service` (its id upper-cased: `S3`, `DYNAMODB`), if any. */
export function envEndpoint(env: Env, service: string): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'] || undefined;
}

const anyEnvEndpoint = (env: Env) => Object.entries(env).some(([k, v]) => /^AWS_ENDPOINT_URL(_|$)/.test(k) && !!v);

const hint = (key: StringSetting, where: string | undefined) => where === undefined
  ? `pass "${key}"`
  : `set "${key}" in ${where}${STRING_SETTINGS[key] ? ` or ${STRING_SETTINGS[key]}` : ''}`;

const CLAIM_KEYS = ['staleAfterMs'] as const;

/**
 * Throw `InvalidArgumentError` naming every missing required setting and how to set it: in `where` (a config file)
 * or its environment variable, or, without `where`, in the config object passed to `openAwsEventlake`; and naming
 * `endpoint` when it is no http(s) URL, `identityClaims.staleAfterMs` when it is no whole number >= 1.
 */
export function checkAwsConfig(config: Partial<AwsEventlakeConfig>, where?: string): asserts config is AwsEventlakeConfig {
  const missing = REQUIRED.filter((k) => typeof config[k] !== 'string' || config[k] === '');
  if (missing.length > 0) {
    throw new InvalidArgumentError(missing.join(', '), `missing for --target aws: ${missing.map((k) => hint(k, where)).join('; ')} (names from the deployed stack's outputs)`);
  }
  if (config.endpoint !== undefined && !/^https?:\/\/[^/]/.test(config.endpoint)) {
    throw new InvalidArgumentError('endpoint', `"${config.endpoint}" is not an http(s) URL, e.g. http://localhost:4566`);
  }
  positiveIntsOf(config.identityClaims, 'identityClaims', CLAIM_KEYS, where ?? 'the config passed to openAwsEventlake');
}

function stringOf(settings: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = settings[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(key, `must be a non-empty string in ${where}, got ${JSON.stringify(value)}`);
  return value;
}

/** The `athena` settings from the file's object and the environment (which wins); undefined when neither has any. */
function athenaOf(value: unknown, env: Env, where: string): AthenaSettings | undefined {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) throw new InvalidArgumentError('athena', `must be an object in ${where}`);
  const a = (value ?? {}) as Record<string, unknown>;
  refuseUnknownKeys(a, Object.keys(ATHENA_ENV), where, 'athena.');
  const out: Record<string, string> = {};
  for (const [key, variable] of Object.entries(ATHENA_ENV)) {
    const v = env[variable] || stringOf(a, key, where);
    if (v !== undefined) out[key] = v;
  }
  if (Object.keys(out).length === 0) return undefined;
  const missing = (['workGroup', 'database'] as const).filter((k) => out[k] === undefined);
  if (missing.length > 0) {
    throw new InvalidArgumentError(missing.map((k) => `athena.${k}`).join(', '), `missing in ${where}: set it there or in ${missing.map((k) => ATHENA_ENV[k]).join(' / ')} (stack outputs WorkGroupName, GlueDatabaseName)`);
  }
  return out as unknown as AthenaSettings;
}

/**
 * The AWS config from a config file's settings and the environment; the environment wins (EVENTLAKE_BUCKET,
 * EVENTLAKE_INDEX_TABLE, EVENTLAKE_CONTROL_TABLE, EVENTLAKE_TABLE_PREFIX, EVENTLAKE_EVENT_BUS, AWS_REGION — the
 * Lambda functions' names — EVENTLAKE_REBUILD_FUNCTION, and EVENTLAKE_ATHENA_WORKGROUP, EVENTLAKE_GLUE_DATABASE for `athena`). A file endpoint is dropped when AWS_ENDPOINT_URL(_*) is set, so the SDK's own
 * per-service resolution applies. Unknown keys and wrong types throw `InvalidArgumentError` naming the key. The keys
 * the CLI reads itself may be there, as in the file: `target` ("aws"), `schemaFolders` (used unless `options.schemaFolders`
 * is given) and not `extensions` (refused: import the module and pass its rules to openAwsEventlake).
 *
 * @example
 * const config = awsConfigFrom({ settings: JSON.parse(text), where: 'eventlake.json', env: process.env });
 */
export function awsConfigFrom(options: { settings?: Record<string, unknown>; where?: string; env?: Env; schemaFolders?: readonly string[] }): AwsEventlakeConfig {
  const where = options.where ?? 'the config file (--config or EVENTLAKE_CONFIG)';
  const { rest: settings, schemaFolders: fileFolders } = withoutFileOnlyKeys(options.settings ?? {}, where);
  const env = options.env ?? process.env;
  refuseUnknownKeys(settings, AWS_CONFIG_KEYS, where);
  const out: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(STRING_SETTINGS) as [StringSetting, string | undefined][]) {
    const value = (variable ? env[variable] || undefined : undefined) ?? stringOf(settings, key, where);
    if (value !== undefined) out[key] = value;
  }
  if (anyEnvEndpoint(env)) delete out['endpoint'];
  for (const key of ['forcePathStyle', 'pointInTimeRecovery']) {
    if (settings[key] === undefined) continue;
    if (typeof settings[key] !== 'boolean') throw new InvalidArgumentError(key, `must be true or false in ${where}`);
    out[key] = settings[key];
  }
  const snapshots = positiveIntsOf(settings['snapshots'], 'snapshots', ['restoreTimeoutMs', 'pollDelayMs'], where);
  if (snapshots) out['snapshots'] = snapshots;
  const identityClaims = positiveIntsOf(settings['identityClaims'], 'identityClaims', CLAIM_KEYS, where);
  if (identityClaims) out['identityClaims'] = identityClaims;
  const athena = athenaOf(settings['athena'], env, where);
  if (athena) out['athena'] = athena;
  const folders = options.schemaFolders && options.schemaFolders.length > 0 ? options.schemaFolders : fileFolders;
  if (folders && folders.length > 0) out['schemaFolders'] = [...folders];
  const config = out as Partial<AwsEventlakeConfig>;
  checkAwsConfig(config, where);
  return config;
}
