// Dispatch in AWS: the custom bus and its archive, one rule per dispatch rule, S3 "Object Created" → indexer, DLQs.

import { Duration, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnEventBusPolicy, EventBus, Match, Rule, type EventPattern as CdkEventPattern, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_SOURCE } from '../domain/bus.ts';
import { EVENT_OBJECT_SUFFIX, EVENTS_PREFIX } from '../domain/event.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import { STORAGE_CHANGE_TYPES } from '../adapters/aws/lambda/storage-changes.ts';
import type { DispatchRule, EventPattern } from '../domain/ports/dispatcher.ts';

/**
 * The default rule of a projection: every eventlake event goes to its projector (projections skip the types
 * they do not fold, and the local runtime uses the same rule).
 */
export function defaultDispatchRules(projections: readonly string[]): DispatchRule[] {
  return projections.map((p) => ({ name: `${p}-projector`, pattern: { source: [EVENT_SOURCE] }, target: p }));
}

/** EventBridge's top-level pattern fields, in CDK's spelling. */
const FIELDS: Readonly<Record<string, keyof CdkEventPattern>> = {
  'version': 'version', 'id': 'id', 'detail-type': 'detailType', 'source': 'source', 'account': 'account',
  'time': 'time', 'region': 'region', 'resources': 'resources', 'detail': 'detail',
};

/** A dispatch rule's pattern (EventBridge JSON spelling) as a CDK EventPattern; unknown top-level fields throw. */
export function toCdkPattern(pattern: EventPattern): CdkEventPattern {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(pattern)) {
    const name = FIELDS[field];
    if (!name) throw new InvalidArgumentError('rules', `"${field}" is not an EventBridge event field (${Object.keys(FIELDS).join(', ')})`);
    out[name] = value;
  }
  return out as CdkEventPattern;
}

/** SQS's longest visibility timeout. */
const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

/**
 * An encrypted, TLS-only dead-letter queue that keeps messages for the longest time SQS allows. Its redrive is an SQS
 * event source mapping of `consumerTimeout`'s function on it, which Lambda refuses to create while the queue's
 * visibility timeout is below the function timeout; AWS recommends six times it (Lambda Developer Guide, "Creating
 * and configuring an Amazon SQS event source mapping"). SQS's default of 30 s is below the functions' minute.
 */
export function deadLetterQueue(scope: Construct, id: string, props: { queueName: string; key: IKey; consumerTimeout: Duration }): Queue {
  const key = props.key;
  return new Queue(scope, id, {
    queueName: props.queueName,
    encryption: QueueEncryption.KMS, encryptionMasterKey: key, dataKeyReuse: Duration.hours(1),
    enforceSSL: true, retentionPeriod: Duration.days(14),
    visibilityTimeout: Duration.seconds(Math.min(6 * props.consumerTimeout.toSeconds(), MAX_VISIBILITY_SECONDS)),
  });
}

/** Delivery settings of every rule target. */
export interface Delivery {
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** The custom bus events are published to, with an archive for replays through EventBridge itself. */
export class LakeBus extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string, props: { busName: string; archiveRetentionDays: number }) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.busName, description: 'eventlake: every logged event, once indexed' });
    this.bus.archive('Archive', {
      description: 'eventlake events, for EventBridge replays', eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(props.archiveRetentionDays),
    });
  }
}

/**
 * The bus policy statement that refuses `events:PutEvents` to every principal but `publishers` (role ARNs: the
 * indexer's), whatever their IAM policies allow: an explicit Deny in a resource policy wins over any Allow. Matched by
 * `aws:PrincipalArn`, which is the role's ARN in each of its sessions. AWS service principals are left out
 * (`aws:PrincipalIsAWSService`): no caller can make one send an event of its choosing here, and replays from the bus
 * archive, which EventBridge itself delivers, must stay possible. The statement id names the bus because
 * CloudFormation identifies an EventBusPolicy by it: two lakes in one account each need their own.
 */
export function onlyPublishers(bus: EventBus, busName: string, publishers: readonly string[]): void {
  busPolicy(bus, new PolicyStatement({
    sid: `${busName}-only-indexer-puts`, effect: Effect.DENY, principals: [new AnyPrincipal()], actions: ['events:PutEvents'], resources: [bus.eventBusArn],
    conditions: { ArnNotEquals: { 'aws:PrincipalArn': [...publishers] }, BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/**
 * A CfnEventBusPolicy whose deprecated `principal` and `condition` read as unset, which they are: the statement holds
 * the whole policy. Why: cdk-nag's AwsSolutions-EVB1 reads both on every bus policy, and CDK's getters of those
 * properties print a deprecation warning on each synth even when nothing set them. EVB1 still checks the statement.
 */
class StatementBusPolicy extends CfnEventBusPolicy {
  constructor(scope: Construct, id: string, props: { eventBusName: string; statementId: string; statement: unknown }) {
    super(scope, id, props);
  }

  override get principal(): undefined {
    return undefined;
  }

  override get condition(): undefined {
    return undefined;
  }
}

/**
 * Add `statement` (which needs a sid) to `bus`'s resource policy, synthesized exactly as `bus.addToResourcePolicy` does
 * it (same construct path, so the same logical id, and `cdk-<sid>` as statement id: either changing would replace the
 * deployed statement), but without its deprecation warning under cdk-nag (see StatementBusPolicy).
 */
export function busPolicy(bus: EventBus, statement: PolicyStatement): CfnEventBusPolicy {
  if (!statement.sid) throw new InvalidArgumentError('statement', 'an event bus policy statement needs a sid: give the PolicyStatement a sid');
  const statementId = `cdk-${statement.sid}`.slice(0, 64);
  statement.sid = statementId;
  return new StatementBusPolicy(new Construct(bus, statementId), 'Resource', { eventBusName: bus.eventBusName, statementId, statement: statement.toJSON() });
}

/** A rule on `bus` that sends matching events to `fn`, retried, failures kept in `dlq`. */
export function ruleTo(scope: Construct, id: string, props: { bus?: IEventBus; ruleName?: string; description: string; pattern: CdkEventPattern; fn: IFunction; dlq: Queue; delivery: Delivery }): Rule {
  return new Rule(scope, id, {
    ...(props.bus ? { eventBus: props.bus } : {}),
    ...(props.ruleName ? { ruleName: props.ruleName } : {}),
    description: props.description,
    eventPattern: props.pattern,
    targets: [new LambdaFunction(props.fn, { retryAttempts: props.delivery.retryAttempts, maxEventAge: props.delivery.maxEventAge, deadLetterQueue: props.dlq })],
  });
}

/**
 * The S3 "Object Created" events of the log's one-event objects (default bus, where S3 sends them).
 * Segments (`segment.ndjson`) are matched out: the compactor re-points the index itself.
 */
export function objectCreatedPattern(bucket: IBucket): CdkEventPattern {
  return {
    source: ['aws.s3'], detailType: ['Object Created'],
    detail: { bucket: { name: [bucket.bucketName] }, object: { key: Match.wildcard(`${EVENTS_PREFIX}*${EVENT_OBJECT_SUFFIX}`) } },
  };
}

/**
 * S3's storage-class changes and restore events of every log object (segments above all), for the indexer to record
 * in the index: the lifecycle rules archive objects without telling anyone else, and a rebuild plans its restores
 * (and their cost) from the index.
 */
export function storageChangePattern(bucket: IBucket): CdkEventPattern {
  return {
    source: ['aws.s3'], detailType: [...STORAGE_CHANGE_TYPES],
    detail: { bucket: { name: [bucket.bucketName] }, object: { key: Match.prefix(EVENTS_PREFIX) } },
  };
}

/**
 * ARN of the rule named `ruleName`, on the custom bus `busName` or the default bus (EventBridge's format:
 * `rule/<bus>/<name>`, `rule/<name>`), built from names: a reference to the rule itself would make the key policy
 * depend on the rule, which depends on its dead-letter queue, which depends on the key.
 */
export function ruleArn(scope: Construct, ruleName: string, busName?: string): string {
  return Stack.of(scope).formatArn({ service: 'events', resource: 'rule', resourceName: busName ? `${busName}/${ruleName}` : ruleName });
}

/**
 * Lets EventBridge use `key` for the KMS-encrypted dead-letter queues, which it writes to itself: only for the lake's
 * rules (`ruleArns`, aws:SourceArn) of this account, not for every rule anyone creates in it.
 */
export function allowDeadLetters(key: IKey, account: string, ruleArns: readonly string[]): void {
  key.addToResourcePolicy(new PolicyStatement({
    sid: 'AllowEventBridgeDeadLetters', principals: [new ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
  }));
}

/** Rules must name deployed projections; a typo would otherwise deploy a rule with no target. */
export function checkRules(rules: readonly DispatchRule[], projections: readonly string[]): void {
  for (const r of rules) {
    if (!projections.includes(r.target)) throw new InvalidArgumentError('rules', `rule "${r.name}" targets "${r.target}", which is not a deployed projection (${projections.join(', ')})`);
  }
  const names = rules.map((r) => r.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new InvalidArgumentError('rules', `two rules are called "${dup}"`);
}

