// What `eventlake status` says of dispatch on a deployed stack, where it cannot see it: the stack's indexer publishes
// each event itself, so the local runtime's dispatched position and lag have no AWS counterpart to read.

import type { EventlakeStatus } from '../../projections/status.ts';
import type { FollowUp } from '../follow-up.ts';

/**
 * Why a deployed stack's dispatch is not shown, and where to look instead. Why not "0 behind": the runtime's
 * dispatched position on AWS is the index's last position, so the lag would be 0 by construction, while S3 may hold
 * objects the indexer has not indexed (never published) and failed deliveries sit in SQS.
 */
export function awsDispatchElsewhere(next: FollowUp): string {
  return 'not observable from here: the stack\'s indexer publishes each event right after indexing it, and failed ' +
    'deliveries land in its SQS dead-letter queues, each watched by a DeadLetterAlarm of the stack; ' +
    `objects in S3 the indexer has not indexed (never published) are listed by \`${next('check')}\``;
}

/**
 * The `--json` object of a deployed stack's status: `dispatchObservable: false` and `dispatchElsewhere` instead of
 * `dispatchedPosition`, `undispatchedEvents` and `undispatchedPositions`, which would always read "0 behind".
 * Every other field is the status as it is.
 */
export function awsStatusJson(s: EventlakeStatus, next: FollowUp): Record<string, unknown> {
  const { dispatchedPosition: _position, undispatchedEvents: _events, undispatchedPositions: _positions, ...rest } = s;
  return { ...rest, dispatchObservable: false, dispatchElsewhere: awsDispatchElsewhere(next) };
}

/**
 * Where a deployed stack's dead letters are, as the text form says it: its SQS queues, which status does not read
 * (SQS has no peek: a read hides and counts the messages), and the command that does, spelled with status's options.
 */
export function awsDeadLettersElsewhere(next: FollowUp): string {
  return 'they are the messages of the stack\'s SQS dead-letter queues, which status does not read (SQS has no peek: a read ' +
    `hides them a while and counts it), each watched by a DeadLetterAlarm; \`${next('dlq', 'list')}\` lists them`;
}

/** The `events:` and `dispatch:` lines of a deployed stack's status: what the index holds, and where dispatch shows. */
export function awsEventsAndDispatchLines(s: EventlakeStatus, next: FollowUp): string {
  return `events:       ${s.events} indexed (last position ${s.lastPosition}); objects the indexer has not indexed are not counted\n` +
    `dispatch:     ${awsDispatchElsewhere(next)}\n`;
}
