// What a rebuild stopped by an event whose change takes a counter out of its store's range says, and what to do.

import { CounterRangeError } from '../../domain/errors.ts';
import type { ReplayEntry } from './deps.ts';
import type { RebuildCheckpoint } from './replay.ts';

// True of both stores: SQLite applies a batch in one transaction, DynamoDB one event at a time.
const UNAPPLIED = 'the event\'s change not applied; events of its batch before it are too where the store applies per event (DynamoDB), ' +
  'and a rerun counts them as duplicates';

/**
 * The error, saying where the replay stopped. Why stop, as for a rule that throws (ruleStop), rather than skip the
 * event as dispatch does: a generation is promoted only once it equals the fold of the whole log, which holds the
 * event's change; one without it would be promoted with no dead letter to say so. The event's change was not applied,
 * but only a store that applies a batch in one transaction (SQLite) rolled back the events of the batch before it; one
 * that applies per event (DynamoDB) kept them, and a rerun counts them as duplicates. Either way the generation stays
 * unfinished at its last checkpoint; the live generation keeps serving reads (dispatch dead-lettered
 * the event and applied every other). A rerun stops here again until the projection folds in larger units.
 */
export function rangeStop(error: CounterRangeError, batch: readonly ReplayEntry[], cp: RebuildCheckpoint, generation: number): CounterRangeError {
  const position = batch.find((e) => e.id === error.range.eventId)?.position;
  const where = position === undefined ? {} : { position };
  if (cp.phase !== 'replaying') return error.within({ ...where, stopped: `the replay into generation ${generation} stopped there, ${UNAPPLIED}` });
  return error.within({
    ...where,
    stopped: `the rebuild stopped there and keeps generation ${generation} unfinished at its last checkpoint (${UNAPPLIED}; ` +
      'the live generation is untouched); a rebuild cannot leave the event out, since the generation would then ' +
      'differ from the fold of the log it is verified against, so a rerun stops here again',
  });
}
