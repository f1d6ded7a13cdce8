// The lake's Lambda functions: esbuild-bundled entry files, arm64, traced, each with its own role and log group.

import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing, type Code } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { givenRulesEnvironment } from '../adapters/aws/lambda/given-rules.ts';
import { synthRulesFingerprints, withinDigestsBudget } from './rules-fingerprints.ts';
import { copySchemaFolderCommands, generatedEntry, shellQuote, takesExtensions, userCodeEnvironment, type UserCode } from './user-code.ts';

/** The repository (or installed package) root: the entry files and the lock file live under it. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The built-in event schemas, copied into every function bundle. */
export const BUILTIN_SCHEMAS = join(PROJECT_ROOT, 'schemas', 'builtin');

/** Entry files of the handlers (adapters/aws/lambda/<name>.ts). */
export type EntryName = 'indexer' | 'projector' | 'rebuild' | 'compaction';

export function entryPath(name: EntryName): string {
  return join(PROJECT_ROOT, 'adapters', 'aws', 'lambda', `${name}.ts`);
}

/**
 * The entries that record the rules a generation was built with: the rebuild (and compares them before resuming or
 * promoting it), and the projectors, which record generation 1's before they fold the lake's first events.
 */
const RECORDS_RULES: ReadonlySet<EntryName> = new Set(['rebuild', 'projector']);

// One computation per lake (its functions share one defaults object): each spawns a child that loads the sources.
const computedRules = new WeakMap<LakeFunctionDefaults, Record<string, string>>();

/**
 * The fingerprints (and rule digests) a function that records rules is given: those of the sources this synth
 * bundles. None for pre-bundled code: what it was built from is not known here, and a wrong fingerprint could read as
 * the same rules.
 */
function rulesEnvironment(scope: Construct, entry: EntryName, defaults: LakeFunctionDefaults): Record<string, string> {
  if (!RECORDS_RULES.has(entry) || defaults.code) return {};
  let environment = computedRules.get(defaults);
  if (!environment) {
    const { given, omitted } = withinDigestsBudget(synthRulesFingerprints(defaults.userCode));
    // Once per lake: every function that records rules is given the same (all of them with digests, or none).
    if (omitted) Annotations.of(scope).addWarning(omitted);
    computedRules.set(defaults, environment = givenRulesEnvironment(given));
  }
  return environment;
}

/** What differs between the functions. */
export interface LakeFunctionSpec {
  readonly entry: EntryName;
  readonly functionName: string;
  readonly description: string;
  /** Powertools service name (logs, traces, metric dimension). */
  readonly serviceName: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Where failed asynchronous invocations go once Lambda's own retries are spent (the function's DLQ). */
  readonly deadLetterQueue?: IQueue;
  /** Invocations that may run at once (unset: as many as the account allows). */
  readonly reservedConcurrentExecutions?: number;
}

/** What is the same for all functions of a lake. */
export interface LakeFunctionDefaults {
  readonly metricsNamespace: string;
  readonly runtime?: Runtime;
  readonly logRetention?: RetentionDays;
  /** The key the log groups are encrypted with (the lake key); unset: CloudWatch Logs' own encryption. */
  readonly logKey?: IKey;
  readonly code?: Code;
  /** The user's schema folders and extensions module, bundled into the functions (EventLakeProps). */
  readonly userCode?: UserCode;
}

/**
 * Lets CloudWatch Logs of this region use `key` for the log group `logGroupName` only: the key policy statement of the
 * CloudWatch Logs User Guide ("Encrypt log data in CloudWatch Logs using AWS KMS"), its encryption context naming the
 * group. Built from the group's name, not a reference to it: the group refers to the key, so the key cannot refer back.
 */
export function allowLogGroup(scope: Construct, key: IKey, logGroupName: string): void {
  const stack = Stack.of(scope);
  key.addToResourcePolicy(new PolicyStatement({
    principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'], resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }) } },
  }));
}

// ESM bundles still meet CommonJS dependencies (the X-Ray SDK) that call require(); give them one.
export const REQUIRE_SHIM = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * One function. Bundled locally by esbuild (never Docker) with the AWS SDK inside, so the deployed code runs
 * the SDK versions the tests ran, not whatever the Lambda runtime ships.
 */
export function lakeFunction(scope: Construct, id: string, spec: LakeFunctionSpec, defaults: LakeFunctionDefaults): NodejsFunction {
  // An explicit role and log group: no AWS managed policy, and log writes scoped to this function's group.
  const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: `${spec.functionName} (eventlake)` });
  const logGroupName = `/aws/lambda/${spec.functionName}`;
  const logGroup = new LogGroup(scope, `${id}Logs`, {
    logGroupName, retention: defaults.logRetention ?? RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
    ...(defaults.logKey ? { encryptionKey: defaults.logKey } : {}),
  });
  if (defaults.logKey) allowLogGroup(scope, defaults.logKey, logGroupName);
  logGroup.grantWrite(role);
  // Lambda grants itself sqs:SendMessage for its DLQ, but not the key an encrypted queue needs for it.
  spec.deadLetterQueue?.encryptionMasterKey?.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
  const lock = join(PROJECT_ROOT, 'package-lock.json');
  const user = defaults.userCode;
  // Pre-bundled code (tests) brings its own entry; otherwise a function that folds or upcasts gets the generated
  // entry importing the extensions module, so esbuild bundles the module into it.
  const entry = user?.extensions && !defaults.code && takesExtensions(spec.entry) ? generatedEntry(PROJECT_ROOT, spec.entry, user.extensions) : entryPath(spec.entry);
  return new NodejsFunction(scope, id, {
    functionName: spec.functionName,
    description: spec.description,
    entry,
    handler: 'handler',
    ...(defaults.code ? { code: defaults.code, handler: 'index.handler' } : {}),
    runtime: defaults.runtime ?? Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: spec.memorySize,
    timeout: spec.timeout,
    role,
    logGroup,
    tracing: Tracing.ACTIVE,
    environment: {
      ...spec.environment,
      ...userCodeEnvironment(user),
      ...rulesEnvironment(scope, spec.entry, defaults),
      POWERTOOLS_SERVICE_NAME: spec.serviceName,
      POWERTOOLS_METRICS_NAMESPACE: defaults.metricsNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    },
    ...(existsSync(lock) ? { projectRoot: PROJECT_ROOT, depsLockFilePath: lock } : {}),
    bundling: {
      forceDockerBundling: false,
      format: OutputFormat.ESM,
      banner: REQUIRE_SHIM,
      bundleAwsSDK: true,
      minify: true,
      // Error classes keep their names: Lambda reports a thrown error's name as errorType, which callers branch on
      // (`eventlake rebuild --remote` turns the rebuild function's InvalidArgumentError back into one).
      keepNames: true,
      sourceMap: true,
      logLevel: LogLevel.WARNING,
      // The schema registry reads its built-in schemas from `builtin/` beside its module, which in a bundle is
      // index.mjs: replay validates every event, so the rebuild function needs them. The user's folders go beside
      // them, where EVENTLAKE_SCHEMA_FOLDERS tells the handlers to look.
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_input: string, output: string) => [
          `cp -R ${shellQuote(BUILTIN_SCHEMAS)} ${shellQuote(join(output, 'builtin'))}`, ...copySchemaFolderCommands(user, output),
        ],
      },
    },
    // Asynchronous invocations (EventBridge targets): Lambda retries twice, then the event goes to the DLQ. A DLQ,
    // not an on-failure destination: the message body is then the EventBridge event itself, exactly what the
    // EventBridge target's DLQ holds, so one redrive (an SQS event source on the queue) handles both.
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
    ...(spec.deadLetterQueue ? { deadLetterQueue: spec.deadLetterQueue } : {}),
    ...(spec.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: spec.reservedConcurrentExecutions } : {}),
  });
}
