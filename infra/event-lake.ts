// The EventLake construct: the whole event lake on AWS — log bucket, tables, bus, functions, query — secure by default.

import { Duration, Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAMBDA_ENV } from '../adapters/aws/lambda/config.ts';
import { lakeNames } from '../adapters/aws/names.ts';
import { lakeAlarms, PROJECTOR_SERVICE, type RuleMetricName } from './alarms.ts';
import {
  allowDeadLetters, checkRules, deadLetterQueue, defaultDispatchRules, LakeBus, objectCreatedPattern, onlyPublishers, ruleArn, ruleTo, storageChangePattern, toCdkPattern, type Delivery,
} from './dispatch.ts';
import { lakeCompaction } from './compaction.ts';
import { lakeFunction, type LakeFunctionDefaults } from './functions.ts';
import { acknowledgeLakeFindings } from './nag.ts';
import { grantEmit, grantIndexer, grantProjector, grantQuery, grantRead, grantRebuild, type LakeResources } from './permissions.ts';
import { lakeOutputs } from './outputs.ts';
import { checkProps, DEFAULTS, type EventLakeProps } from './props.ts';
import { LakeQuery } from './query.ts';
import { LakeStorage } from './storage.ts';
import { LakeTables } from './tables.ts';
import { tagLake } from './tags.ts';
import { schemaColumns } from '../schemas/columns.ts';
import { SchemaRegistry } from '../schemas/registry.ts';

/** Timeout of the indexer and the projectors, which also consume their dead-letter queues on a redrive. */
const HANDLER_TIMEOUT = Duration.minutes(1);
/** The indexer's Powertools service name: the `service` dimension of its metrics, which its alarm reads. */
const INDEXER_SERVICE = 'eventlake-indexer';

/**
 * An eventlake deployment. Events written to `events/` (write-once) are indexed by the indexer (S3 "Object Created"
 * via EventBridge), published to the lake's bus, and applied by one projector per projection; the rebuild function
 * replays them into new generations; Athena queries the log through Glue. A daily compaction turns hour partitions
 * into segments, the only log objects large enough for the bucket's lifecycle rules to archive.
 *
 * @example
 * const lake = new EventLake(stack, 'Lake', { objectLock: { mode: 'GOVERNANCE', retentionDays: 365 } });
 * lake.grantEmit(myServiceRole);
 */
export class EventLake extends Construct {
  readonly prefix: string;
  readonly key: Key;
  readonly bucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly queryResultsBucket: Bucket;
  readonly indexTable: Table;
  readonly controlTable: Table;
  /** Generation-1 table of each projection. */
  readonly projectionTables: ReadonlyMap<string, Table>;
  readonly bus: EventBus;
  readonly indexer: NodejsFunction;
  readonly projectors: ReadonlyMap<string, NodejsFunction>;
  readonly rebuild: NodejsFunction;
  /** Daily compaction of hour partitions into segments: the only objects large enough for the lifecycle rules. */
  readonly compaction: NodejsFunction;
  /** Dead-letter queue of the indexer and of each projector. */
  readonly deadLetterQueues: ReadonlyMap<string, Queue>;
  readonly query: LakeQuery;

  constructor(scope: Construct, id: string, props: EventLakeProps = {}) {
    super(scope, id);
    checkProps(props);
    const prefix = this.prefix = props.prefix ?? DEFAULTS.prefix;
    const projections = [...(props.projections ?? DEFAULTS.projections)];
    const rules = props.rules ?? defaultDispatchRules(projections);
    checkRules(rules, projections);
    const delivery: Delivery = { retryAttempts: props.retryAttempts ?? DEFAULTS.retryAttempts, maxEventAge: props.maxEventAge ?? Duration.hours(DEFAULTS.maxEventAgeHours) };

    const storage = new LakeStorage(this, 'Storage', props);
    this.key = storage.key;
    this.bucket = storage.eventLog;
    this.accessLogsBucket = storage.accessLogs;
    this.queryResultsBucket = storage.queryResults;
    const tables = new LakeTables(this, 'Tables', { prefix, projections, key: this.key });
    this.indexTable = tables.index;
    this.controlTable = tables.control;
    this.projectionTables = tables.projections;
    this.bus = new LakeBus(this, 'Dispatch', { busName: prefix, archiveRetentionDays: props.busArchiveRetentionDays ?? DEFAULTS.busArchiveRetentionDays }).bus;
    const r: LakeResources = { prefix, bucket: this.bucket, key: this.key, bus: this.bus, index: this.indexTable, control: this.controlTable };

    const defaults: LakeFunctionDefaults = {
      metricsNamespace: prefix, logKey: this.key, ...(props.runtime ? { runtime: props.runtime } : {}),
      ...(props.logRetention ? { logRetention: props.logRetention } : {}), ...(props.code ? { code: props.code } : {}),
      ...(props.schemaFolders?.length || props.extensions ? { userCode: { schemaFolders: props.schemaFolders ?? [], ...(props.extensions ? { extensions: props.extensions } : {}) } } : {}),
    };
    const dlqs = new Map<string, Queue>();
    const base = { [LAMBDA_ENV.bucket]: this.bucket.bucketName };
    // Generation tables the functions create or restore use the lake key too (DynamoDbProjectionStore tableSettings,
    // DynamoDbPitrSnapshotStore kmsKeyArn).
    const kmsEnv = { [LAMBDA_ENV.kmsKeyArn]: this.key.keyArn };

    // Every rule by its metric name: each gets an alarm for events it could not dead-letter.
    const routed: Array<RuleMetricName & { id: string }> = [];
    dlqs.set('indexer', deadLetterQueue(this, 'IndexerDeadLetters', { queueName: lakeNames.indexerDeadLetterQueue(prefix), key: this.key, consumerTimeout: HANDLER_TIMEOUT }));
    this.indexer = lakeFunction(this, 'Indexer', {
      entry: 'indexer', functionName: lakeNames.indexerFunction(prefix), serviceName: INDEXER_SERVICE, description: 'eventlake: S3 Object Created → index → bus; S3 storage changes → index',
      environment: { ...base, [LAMBDA_ENV.indexTable]: this.indexTable.tableName, [LAMBDA_ENV.eventBus]: this.bus.eventBusName },
      memorySize: 512, timeout: HANDLER_TIMEOUT, deadLetterQueue: dlqs.get('indexer')!,
    }, defaults);
    grantIndexer(this.indexer, r);
    onlyPublishers(this.bus, prefix, [this.indexer.role!.roleArn]);
    // Redrive = an SQS event source on the function's own DLQ (its messages are bus events); allowed ahead of time.
    dlqs.get('indexer')!.grantConsumeMessages(this.indexer);
    const indexerRules: Array<[id: string, name: string, description: string, pattern: ReturnType<typeof objectCreatedPattern>]> = [
      ['ObjectCreatedRule', 'object-created', 'eventlake: new one-event objects of the log → indexer', objectCreatedPattern(this.bucket)],
      ['StorageChangedRule', 'storage-changed', 'eventlake: storage-class changes and restores of log objects → indexer → index', storageChangePattern(this.bucket)],
    ];
    // Every rule with a dead-letter queue, by ARN: the only ones EventBridge may use the lake key for. The indexer's are on
    // the default bus, where S3 sends its events, and named, so the key policy can name them without a reference.
    const deadLettering: string[] = [];
    for (const [id, name, description, pattern] of indexerRules) {
      const ruleName = `${prefix}-${name}`;
      ruleTo(this, id, { ruleName, description, pattern, fn: this.indexer, dlq: dlqs.get('indexer')!, delivery });
      routed.push({ id, ruleName });
      deadLettering.push(ruleArn(this, ruleName));
    }

    const projectors = new Map<string, NodejsFunction>();
    for (const p of projections) {
      const dlq = deadLetterQueue(this, `ProjectorDeadLetters-${p}`, { queueName: lakeNames.projectorDeadLetterQueue(prefix, p), key: this.key, consumerTimeout: HANDLER_TIMEOUT });
      dlqs.set(p, dlq);
      const fn = lakeFunction(this, `Projector-${p}`, {
        entry: 'projector', functionName: lakeNames.projectorFunction(prefix, p), serviceName: PROJECTOR_SERVICE, description: `eventlake: bus → ${p}`,
        environment: { ...base, [LAMBDA_ENV.projection]: p, [LAMBDA_ENV.indexTable]: this.indexTable.tableName, [LAMBDA_ENV.controlTable]: this.controlTable.tableName, [LAMBDA_ENV.tablePrefix]: prefix, ...kmsEnv },
        memorySize: 512, timeout: HANDLER_TIMEOUT, deadLetterQueue: dlq,
      }, defaults);
      grantProjector(this, fn, r, p);
      dlq.grantConsumeMessages(fn);
      projectors.set(p, fn);
    }
    for (const rule of rules) {
      const ruleName = `${prefix}-${rule.name}`;
      routed.push({ id: `Rule-${rule.name}`, ruleName, busName: this.bus.eventBusName });
      deadLettering.push(ruleArn(this, ruleName, prefix));
      ruleTo(this, `Rule-${rule.name}`, {
        bus: this.bus, ruleName, description: `eventlake dispatch rule ${rule.name} → ${rule.target}`,
        pattern: toCdkPattern(rule.pattern), fn: projectors.get(rule.target)!, dlq: dlqs.get(rule.target)!, delivery,
      });
    }
    allowDeadLetters(this.key, Stack.of(this).account, deadLettering);
    this.projectors = projectors;
    this.deadLetterQueues = dlqs;

    this.rebuild = lakeFunction(this, 'Rebuild', {
      entry: 'rebuild', functionName: lakeNames.rebuildFunction(prefix), serviceName: 'eventlake-rebuild', description: 'eventlake: rebuild a projection (invoked by the CLI)',
      environment: { ...base, [LAMBDA_ENV.indexTable]: this.indexTable.tableName, [LAMBDA_ENV.controlTable]: this.controlTable.tableName, [LAMBDA_ENV.tablePrefix]: prefix, ...kmsEnv },
      // One full vCPU; a rebuild cut short by the timeout resumes from its checkpoint on the next invocation.
      memorySize: 1769, timeout: Duration.minutes(15),
    }, defaults);
    grantRebuild(this, this.rebuild, r, projections, [...this.projectionTables.values()]);
    this.compaction = lakeCompaction(this, {
      resources: r, defaults,
      ...(props.firstYear !== undefined ? { firstYear: props.firstYear } : {}), ...(props.compaction ? { sizes: props.compaction } : {}),
    });

    this.query = new LakeQuery(this, 'Query', {
      databaseName: prefix.replace(/-/g, '_'), workGroupName: prefix, bucket: this.bucket, results: this.queryResultsBucket, key: this.key,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery ?? DEFAULTS.bytesScannedCutoffPerQuery,
      ...(props.firstYear !== undefined ? { firstYear: props.firstYear } : {}),
      ...(props.schemaFolders?.length ? { extraColumns: schemaColumns(SchemaRegistry.load({ folders: props.schemaFolders })).columns } : {}),
    });

    const dispatched = [this.indexer, ...projectors.values()];
    lakeAlarms(this, { deadLetterQueues: dlqs, dispatched, others: [this.rebuild], rules: routed, namespace: defaults.metricsNamespace, indexerService: INDEXER_SERVICE, projections }, props);
    acknowledgeLakeFindings(this);
    lakeOutputs(this, projections);
    tagLake(this, prefix, props.tags);
  }

  /** Let `grantee` append events (conditional PUTs under events/, each identity claimed in the control table first), read them back, and read the index's items (emit's duplicate checks). */
  grantEmit(grantee: IGrantable): void {
    grantEmit(grantee, { bucket: this.bucket, index: this.indexTable, control: this.controlTable, key: this.key });
  }

  /** Let `grantee` run Athena queries over the log in the lake's workgroup, and read the index for their archived objects. */
  grantQuery(grantee: IGrantable): void {
    grantQuery(this, grantee, { workGroup: this.query.workGroup, database: this.query.databaseName, table: this.query.tableName, bucket: this.bucket, results: this.queryResultsBucket, index: this.indexTable });
  }

  /**
   * Let `grantee` read projections (default: all of the lake's): item reads (GetItem, BatchGetItem, Query) and Scan (all
   * balances at once) of their generation tables, whichever is live, their live-generation pointers in the control
   * table, and Decrypt with the key.
   */
  grantRead(grantee: IGrantable, projections: readonly string[] = [...this.projectionTables.keys()]): void {
    grantRead(this, grantee, { prefix: this.prefix, control: this.controlTable, key: this.key }, { projections, known: [...this.projectionTables.keys()] });
  }

  /** Let `grantee` start rebuilds (invoke the rebuild function). */
  grantRebuild(grantee: IGrantable): void {
    this.rebuild.grantInvoke(grantee);
  }

  /**
   * Let `grantee` run `eventlake dlq list|redrive --target aws`: consume the dead-letter queues (receive, change
   * visibility, delete, their URL and attributes, and Decrypt with the lake's key) and invoke the indexer and the
   * projectors, whose functions the redrive hands the messages to.
   */
  grantDeadLetters(grantee: IGrantable): void {
    for (const queue of this.deadLetterQueues.values()) queue.grantConsumeMessages(grantee);
    for (const fn of [this.indexer, ...this.projectors.values()]) fn.grantInvoke(grantee);
  }
}
