// The eventlake of a deployed stack: the AWS adapters assembled into the runtime the CLI commands are written against.

import type { BalanceRule } from '../../domain/balances.ts';
import { ClosedError } from '../../domain/errors.ts';
import { assertBuiltinRulesFit } from '../../projections/builtin-rule-coverage.ts';
import { CloseGate, guardClosed, guardClosedFn } from '../../projections/closed-guard.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { Eventlake } from '../../projections/eventlake.ts';
import { withBalanceRules } from '../../projections/extensions.ts';
import { releaseLeasesIn } from '../../projections/lease.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { buildAwsClients, requireRegion, type AwsClients } from './aws-clients.ts';
import { checkAwsConfig, type AwsEventlakeConfig } from './aws-config.ts';
import { checkOpenKeys } from './aws-config-keys.ts';
import { withConfigErrors } from './config-errors.ts';
import { DynamoDbCheckpointStore } from './dynamodb-checkpoint-store.ts';
import { DynamoDbEventIndex } from './dynamodb-event-index.ts';
import { DynamoDbPitrSnapshotStore } from './dynamodb-pitr-snapshot-store.ts';
import { DynamoDbProjectionStore } from './dynamodb-projection-store.ts';
import { EventBridgeDispatcher } from './eventbridge-dispatcher.ts';
import { PROJECTIONS } from './lambda/projections.ts';
import { S3ArchiveTier } from './s3-archive-tier.ts';
import { S3EventLog } from './s3-event-log.ts';
import { DynamoDbIdentityClaims } from './dynamodb-identity-claims.ts';
import { redriveOnSqs, SqsConsoleDeadLetterStore } from './sqs-dead-letters.ts';

/** The runtime on AWS, with what only AWS has. */
export interface AwsEventlakeRuntime extends EventlakeRuntime {
  readonly config: AwsEventlakeConfig;
  /** The clients given in `config.clients` (unchanged: the lake words its own calls' errors only) or built for the lake. */
  readonly clients: AwsClients;
  /** Publishes to `eventBusName` (re-sending events to the projectors); undefined when no bus is configured. */
  readonly dispatcher: EventBridgeDispatcher | undefined;
}

/** What openAwsEventlake opens: the stack's config, and the rules balances and statement fold with in this process. */
export interface AwsOpenConfig extends AwsEventlakeConfig {
  /**
   * Rules balances and statement fold with here (rebuild, verify), as a local lake's `balanceRules`: your types', or a
   * built-in type's replaced. The projector Lambdas fold with the rules deployed in them (EventLakeProps.extensions).
   */
  readonly balanceRules?: Readonly<Record<string, BalanceRule>>;
}

const NOTHING_TO_CATCH_UP = { indexed: 0, dispatched: 0, deadLettered: 0 } as const;

/**
 * Open the eventlake of a deployed stack. Semantics differ from the local runtime where AWS does the work itself:
 * - `lake.emit` validates, reads the index once (copies an S3 key cannot show, as locally), claims each identity in
 *   the control table (a RequestId reused in another hour is EVENT_CONFLICT before the indexer runs; a crashed emitter's
 *   claim is replaced after `identityClaims.staleAfterMs`, default 5 minutes) and appends to S3; it
 *   neither indexes nor dispatches: S3's "Object Created" notification runs the indexer Lambda, which indexes and
 *   publishes, so no emitter can forget to dispatch; projections follow within seconds.
 * - `catchUp()` has nothing to do (returns zeros), and projection reads never wait for it.
 * - `dispatchedPosition()` is the index's settled position: the indexer publishes every event right after indexing it,
 *   but indexers commit out of position order, so a mark (a snapshot's, a verification's) is one nothing can still
 *   appear below (DynamoDbEventIndex.settledPosition).
 * - `deadLetters` and `redriveDeadLetters` throw `UnsupportedOnTargetError` naming the SQS tools to use.
 * After `close()` every call refuses with `ClosedError` (code CLOSED), as the local runtime's do; close() first waits
 * for the calls already started (an emit's append, a rebuild's step) to settle, then destroys the clients it built.
 * Clients given in `config.clients` are not changed (no middleware is added): the lake words a wrong bucket or table
 * for its own calls only, so your calls on them keep the SDK's errors, and two lakes on one client word their own names.
 * Refused with `InvalidArgumentError` when `config` is no object or has a key it does not know (nested ones too:
 * `snapshots`, `identityClaims`, `athena`, `clients`), naming the key and listing the known ones.
 * Refused before any client is built (`BuiltinRulesUnfitError`) when `schemaFolders` make a built-in type newer than
 * its built-in rules and `balanceRules` does not replace them, as a local lake is.
 *
 * @example
 * const lake = await openAwsEventlake({ region: 'eu-central-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' });
 * try { await lake.lake.emit(event); console.log(await lake.lake.balance('DE44-5001-0517')); } finally { await lake.close(); }
 */
export async function openAwsEventlake(config: AwsOpenConfig, env: Readonly<Record<string, string | undefined>> = process.env): Promise<AwsEventlakeRuntime> {
  checkOpenKeys(config);
  checkAwsConfig(config);
  const now = config.now ?? Date.now;
  // The far-future check of EventTimeStamp follows the runtime's clock, as locally (a demo or test that moves it).
  const registry = SchemaRegistry.load({ folders: config.schemaFolders ?? [], now: () => Math.floor(now() / 1000) });
  assertBuiltinRulesFit(registry, config.balanceRules ?? {});
  const { clients, owned } = buildAwsClients(config, env);
  // The adapters send through wrappers that word this lake's config mistakes; the clients themselves stay unchanged.
  const { s3, dynamodb } = withConfigErrors(clients, config, env);
  const close = async () => { for (const client of owned) client.destroy(); };
  try {
    await requireRegion(clients.s3);
  } catch (error) {
    await close();
    throw error;
  }
  const { bucket, controlTable: controlTableName } = config;
  // Identities are claimed in the control table before their objects are written: a RequestId sent again in another
  // hour (another key) is refused as a conflict even before the indexer has indexed the first.
  const staleAfterMs = config.identityClaims?.staleAfterMs;
  // On the runtime's clock, as the registry: a claim's age is read from it (a test or demo that moves it moves that too).
  const claims = new DynamoDbIdentityClaims({ client: dynamodb, tableName: controlTableName, now, ...(staleAfterMs ? { staleAfterMs } : {}) });
  const log = new S3EventLog({ client: s3, bucket, claims });
  const index = new DynamoDbEventIndex({ client: dynamodb, tableName: config.indexTable });
  const known = [...withBalanceRules(PROJECTIONS, config.balanceRules ?? {}), ...(config.projections ?? [])];
  const store = new DynamoDbProjectionStore({
    client: dynamodb, controlTableName, projections: known.map((p) => p.name), ...(config.tablePrefix ? { tablePrefix: config.tablePrefix } : {}), ...(config.tableFor ? { tableFor: config.tableFor } : {}),
    tableSettings: { ...(config.kmsKeyArn ? { kmsKeyArn: config.kmsKeyArn } : {}), ...(config.pointInTimeRecovery !== undefined ? { pointInTimeRecovery: config.pointInTimeRecovery } : {}) },
  });
  const wait = { ...(config.snapshots?.restoreTimeoutMs ? { timeoutMs: config.snapshots.restoreTimeoutMs } : {}), ...(config.snapshots?.pollDelayMs ? { initialDelayMs: config.snapshots.pollDelayMs } : {}) };
  const dispatcher = clients.eventBridge && config.eventBusName
    ? new EventBridgeDispatcher({ client: clients.eventBridge, eventBusName: config.eventBusName, bucket })
    : undefined;
  // After close() the clients are destroyed: every call refuses with one typed error instead of however the SDK fails,
  // and the calls in flight at close() finish on live clients first.
  let closing: Promise<void> | undefined;
  const state = new CloseGate(() => new ClosedError(`the eventlake on s3://${bucket}`, 'open it again with openAwsEventlake(config)'));
  const pub = { log: guardClosed(log, state), index: guardClosed(index, state), store: guardClosed(store, state) };
  const checkpoints = new DynamoDbCheckpointStore({ client: dynamodb, controlTableName });
  const guardedCheckpoints = guardClosed(checkpoints, state);
  return {
    target: 'aws',
    dataDir: `s3://${bucket}`,
    config,
    clients,
    dispatcher,
    registry,
    ...pub,
    snapshots: guardClosed(new DynamoDbPitrSnapshotStore({ client: dynamodb, controlTableName, projections: known.map((p) => p.name), tableFor: store.tableFor, wait, ...(config.kmsKeyArn ? { kmsKeyArn: config.kmsKeyArn } : {}) }), state),
    archive: guardClosed(new S3ArchiveTier({ client: s3, bucket }), state),
    checkpoints: guardedCheckpoints,
    deadLetters: new SqsConsoleDeadLetterStore(),
    projections: known,
    // The index answers the duplicate checks that the keys of S3 objects cannot (compacted events, another hour, a
    // legacy RequestId case), as it does locally; it is read once per emit (DynamoDbEventIndex.getMany). `projections`:
    // a balance read of a projection the stack does not have is refused by name, as locally, instead of reading nothing.
    lake: guardClosed(new Eventlake({ registry, log, index, store, projections: known.map((p) => p.name) }), state, { pure: ['prepare'] }),
    upcast: registry.upcast,
    now,
    catchUp: guardClosedFn(async () => NOTHING_TO_CATCH_UP, state),
    redriveDeadLetters: redriveOnSqs,
    dispatchedPosition: guardClosedFn(() => index.settledPosition(), state),
    close() {
      // A rebuild holding a lease here cannot go on: kept, it refused the next rebuild of the stack until it expired.
      closing ??= state.close().then(() => releaseLeasesIn(guardedCheckpoints, checkpoints)).then(close);
      return closing;
    },
  };
}
