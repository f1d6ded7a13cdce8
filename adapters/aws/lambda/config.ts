// Environment variables of the Lambda functions: one list the entry files read and the CDK stack sets.

import { InvalidArgumentError } from '../../../domain/errors.ts';

/** Variable names, so the stack and the handlers cannot drift apart. */
export const LAMBDA_ENV = {
  /** The log's bucket. */
  bucket: 'EVENTLAKE_BUCKET',
  /** The EventBridge bus events are published to. */
  eventBus: 'EVENTLAKE_EVENT_BUS',
  /** DynamoDbEventIndex table. */
  indexTable: 'EVENTLAKE_INDEX_TABLE',
  /** DynamoDbProjectionStore control table (live generation per projection). */
  controlTable: 'EVENTLAKE_CONTROL_TABLE',
  /** Prefix of the projection generation tables (default `eventlake`). */
  tablePrefix: 'EVENTLAKE_TABLE_PREFIX',
  /** The projection a projector function applies events to (`balances`, `statement`). */
  projection: 'EVENTLAKE_PROJECTION',
  /** maxReceiveCount of the projector's SQS queue redrive policy, to count events that go to its DLQ. */
  maxReceiveCount: 'EVENTLAKE_MAX_RECEIVE_COUNT',
  /** Customer-managed KMS key of the lake: generation tables the functions create or restore are encrypted with it. */
  kmsKeyArn: 'EVENTLAKE_KMS_KEY_ARN',
  /** Compaction: start of the first hour to compact when no checkpoint exists yet, epoch seconds. */
  compactionFirstHour: 'EVENTLAKE_COMPACTION_FIRST_HOUR',
  /** Compaction: hours after an hour ends before it is compacted (default COMPACTION_DEFAULTS.afterHours). */
  compactAfterHours: 'EVENTLAKE_COMPACT_AFTER_HOURS',
  /** Compaction: passed hours revisited on every run for late events (default COMPACTION_DEFAULTS.lookbackHours). */
  compactionLookbackHours: 'EVENTLAKE_COMPACTION_LOOKBACK_HOURS',
  /** Compaction: hours compacted at once (default COMPACTION_DEFAULTS.concurrency). */
  compactionConcurrency: 'EVENTLAKE_COMPACTION_CONCURRENCY',
  /** Compaction: most events per segment, i.e. per chunk held in memory (default SEGMENT_LIMITS). */
  maxSegmentEvents: 'EVENTLAKE_MAX_SEGMENT_EVENTS',
  /** Compaction: most bytes per segment (default SEGMENT_LIMITS). */
  maxSegmentBytes: 'EVENTLAKE_MAX_SEGMENT_BYTES',
  /**
   * The user's schema folders copied into the bundle, comma-separated, relative to index.mjs (infra/user-code.ts);
   * unset when the stack has no schemaFolders.
   */
  schemaFolders: 'EVENTLAKE_SCHEMA_FOLDERS',
  /**
   * The rules fingerprints the synth computed from the sources, JSON `{ projection: fingerprint }`, which the rebuild
   * function records and compares instead of its bundle's (given-rules.ts); unset on stacks synthesized before them.
   */
  rulesFingerprints: 'EVENTLAKE_RULES_FINGERPRINTS',
  /** The code form those fingerprints were computed in (the CLI's: `RulesFingerprint.form`). */
  rulesForm: 'EVENTLAKE_RULES_FORM',
  /**
   * The synth's digests of those rules by event type, JSON `{ projection: { event type: digest } }`: generations record
   * them, and projectors count only the events they fold otherwise (foreign-fold.ts); unset on stacks synthesized before.
   */
  ruleDigests: 'EVENTLAKE_RULE_DIGESTS',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value; throws `InvalidArgumentError` naming it when unset, so a misconfigured stack fails loudly. */
export function requireEnv(name: string, env: Env = process.env): string {
  const value = env[name];
  if (!value) throw new InvalidArgumentError(name, 'environment variable is not set on this function');
  return value;
}

/** A positive integer variable, or undefined when unset. */
export function optionalIntEnv(name: string, env: Env = process.env): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(name, `must be a whole number >= 1, got "${value}"`);
  return n;
}
