// The positions a rebuild may trust as high-water marks, on an index whose writers commit in position order (SQLite:
// `lastPosition()`) and on one whose writers do not (DynamoDB: `settledPosition()`, below what may still appear).
//
// Why it matters: a mark says "every event up to here". A rebuild replays up to its plan's mark, and its top-ups go on
// from where it stopped; an entry committed later below that mark would never be replayed, while dispatch delivered
// it to the generation being replaced: the promoted generation would lack it for good.

import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { RebuildDeps } from './deps.ts';
import { defaultSleep } from './deps.ts';

/** The highest position at or below which no entry can still appear (`lastPosition()` where positions commit in order). */
export function settledMark(index: EventIndex): Promise<number> {
  return index.settledPosition ? index.settledPosition() : index.lastPosition();
}

/** Where the live generation is complete: the dispatch position where one is kept, else the settled mark. */
export function liveMark(deps: Pick<RebuildDeps, 'index' | 'dispatchedPosition'>): Promise<number> {
  return deps.dispatchedPosition ? deps.dispatchedPosition() : settledMark(deps.index);
}

/**
 * How far the live generation may hold events beyond `liveMark`, where that differs (an index with a settled position:
 * AWS projectors apply an event seconds after it is indexed, long before it is settled); undefined where it does not.
 * A comparison with the live generation is made at this position at least, the live side advanced from its mark with
 * its idempotency records, so the events it already holds count once.
 */
export async function liveHoldsUpTo(deps: Pick<RebuildDeps, 'index'>): Promise<number | undefined> {
  return deps.index.settledPosition ? deps.index.lastPosition() : undefined;
}

/**
 * After a promotion's switch, wait until every entry committed before it is settled (`index.settleMs`): such an entry
 * went to the generation replaced, and the top-up that follows must reach it. Returns at once where nothing settles
 * late (no `settleMs`: a local index). `sleep`: the caller's lease-renewing wait.
 */
export async function waitForSettled(index: EventIndex, sleep: (ms: number) => Promise<void> = defaultSleep): Promise<void> {
  if (index.settleMs !== undefined && index.settleMs > 0) await sleep(index.settleMs);
}
