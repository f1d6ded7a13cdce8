// The lake bus's resource policy: synthesized as EventBus.addToResourcePolicy made it (a changed logical id or
// statement id would replace the deployed statement), checked by cdk-nag, and without CDK's deprecation warning.
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App, Stack } from 'aws-cdk-lib';
import { CfnEventBusPolicy, EventBus } from 'aws-cdk-lib/aws-events';
import { AnyPrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance } from 'cdk-nag/lib/nag-rules.js';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { busPolicy, onlyPublishers } from '../../infra/dispatch.ts';
import { thrown } from '../support/thrown.ts';
import '../support/cfn-validation-cache.ts'; // a template validated clean before is not validated again (see there)

const INDEXER = 'arn:aws:iam::123456789012:role/lake-indexer';

/** A stack holding one bus, with `policy` applied to it. */
function busStack(policy: (bus: EventBus) => void): Stack {
  const stack = new Stack(new App(), 'Bus');
  policy(new EventBus(stack, 'Bus', { eventBusName: 'lake' }));
  return stack;
}

const busPolicies = (stack: Stack) => stack.node.findAll().filter((c): c is CfnEventBusPolicy => c instanceof CfnEventBusPolicy);

/**
 * The bus policies of `stack` as its template holds them (logical id → resource). Why not Template.fromStack: each
 * synthesis starts CDK's CloudFormation validator, seconds per process; a resource's own rendering is what it writes.
 */
function policies(stack: Stack): Record<string, unknown> {
  const rendered = busPolicies(stack).map((c) => (c as unknown as { _toCloudFormation(): { Resources: Record<string, unknown> } })._toCloudFormation().Resources);
  return stack.resolve(Object.assign({}, ...rendered)) as Record<string, unknown>;
}

const putsOpenly = () => new PolicyStatement({ sid: 'open', principals: [new AnyPrincipal()], actions: ['events:PutEvents'], resources: ['*'] });

// The rule alone, not the whole AwsSolutions pack (loading every rule costs a second of this file's run); required, as
// its CommonJS default export is not what an ESM default import gives.
const EventBusOpenAccess = (createRequire(import.meta.url)('cdk-nag/lib/rules/eventbridge/EventBusOpenAccess.js') as { default: (node: CfnEventBusPolicy) => NagRuleCompliance }).default;

/** What AwsSolutions-EVB1 (an event bus policy open to everyone) finds of each bus policy in `stack`. */
const evb1 = (stack: Stack) => busPolicies(stack).map((c) => EventBusOpenAccess(c));

/** What `work` printed through console.warn (where jsii prints deprecation warnings). */
function warnings(work: () => void): string[] {
  const said: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => { said.push(args.join(' ')); };
  try { work(); } finally { console.warn = warn; }
  return said;
}

const test = suite('the lake bus policy');

test('cdk-nag (AwsSolutions-EVB1) checks the lake bus policy without a CDK deprecation warning', () => {
  const stack = busStack((bus) => onlyPublishers(bus, 'lake', [INDEXER]));
  let found: unknown[] = [];
  assert.equal(warnings(() => { found = evb1(stack); }), []);
  assert.equal(found, [NagRuleCompliance.COMPLIANT]);
});

test('the bus policy synthesizes exactly as EventBus.addToResourcePolicy made it: same logical id, same properties', () => {
  const statement = (bus: EventBus) => new PolicyStatement({ sid: 'lake-only-indexer-puts', principals: [new AnyPrincipal()], actions: ['events:PutEvents'], resources: [bus.eventBusArn] });
  const ours = policies(busStack((bus) => busPolicy(bus, statement(bus))));
  assert.equal(Object.keys(ours).length, 1);
  assert.equal(ours, policies(busStack((bus) => bus.addToResourcePolicy(statement(bus)))));
});

test('cdk-nag still refuses a bus policy that lets every principal put events without a condition (AwsSolutions-EVB1)', () => {
  assert.equal(evb1(busStack((bus) => busPolicy(bus, putsOpenly()))), [NagRuleCompliance.NON_COMPLIANT]);
});

test('a bus policy statement without a sid is refused naming the statement', () => {
  const error = thrown(() => busStack((bus) => busPolicy(bus, new PolicyStatement({ actions: ['events:PutEvents'], resources: ['*'] }))), InvalidArgumentError);
  assert.match(error.message, 'needs a sid');
});

test.run();
