// EventLakeStack: the EventLake construct as a deployable stack, for `cdk deploy` without writing a CDK app.

import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EventLake } from './event-lake.ts';
import type { EventLakeProps } from './props.ts';

export interface EventLakeStackProps extends StackProps {
  readonly lake?: EventLakeProps;
}

/**
 * A stack holding one event lake.
 *
 * @example
 * new EventLakeStack(app, 'EventLake', { env: { region: 'eu-west-1' }, lake: { objectLock: { mode: 'COMPLIANCE', retentionDays: 3650 } } });
 */
export class EventLakeStack extends Stack {
  readonly lake: EventLake;

  constructor(scope: Construct, id: string, props: EventLakeStackProps = {}) {
    super(scope, id, { description: 'eventlake: validated domain events on S3, indexed, dispatched, projected and queryable', ...props });
    this.lake = new EventLake(this, 'Lake', props.lake ?? {});
  }
}
