// The refusal of an event that claims to be in the log but is not: a projector applies only what the log holds.

import { EventlakeError } from './eventlake-error.ts';

/**
 * What did not match when an event was checked against the log:
 * - `unindexed`: the index holds no entry for its identity (the log never stored it, or not yet);
 * - `digest`: its content digest differs from the one the index recorded for the stored copy;
 * - `bytes`: its canonical bytes differ from the stored copy's (an entry indexed before content digests).
 */
export type LogMembershipMismatch = 'unindexed' | 'digest' | 'bytes';

const WHAT: Record<LogMembershipMismatch, (key: string | undefined) => string> = {
  unindexed: () => 'the event index holds no entry for this identity, so the log never stored it',
  digest: (key) => `its content digest differs from the one indexed for the copy the log holds at ${key ?? '(unknown key)'}`,
  bytes: (key) => `its canonical bytes differ from the copy the log holds at ${key ?? '(unknown key)'} (indexed before content digests)`,
};

/**
 * An event a projector was asked to apply (a bus event's `detail`, or the object a pointer names) that the log does not
 * hold as sent. Nothing was applied: only the indexer, after reading an object from the log, publishes to the bus, so
 * such an event was put on the bus by someone else, or changed on the way. A real event of that identity is still
 * applied when it arrives (the refusal records no identity in the projection).
 */
export class EventNotInLogError extends EventlakeError {
  readonly code = 'EVENT_NOT_IN_LOG';
  constructor(readonly eventId: string, readonly mismatch: LogMembershipMismatch, readonly key?: string) {
    super(`event ${eventId} was not applied: ${WHAT[mismatch](key)}. A projector applies only events the log holds; ` +
      'find who put it on the bus (the logged bus event id, source and account) and take away their events:PutEvents on the ' +
      'lake\'s bus. If the event was emitted, it is applied when the indexer publishes it; a refused delivery left in the ' +
      'projector\'s dead-letter queue can be redriven once the index holds it');
  }
}
