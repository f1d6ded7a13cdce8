// What each name in a CheckpointStore holds, from the constants of the modules that write them: a tool that walks all
// of a store's names (the local index repair) must tell an index position from a lease (a time) or an hour.
//
// Why one list: the store keeps plain name -> integer rows, and a name nobody listed was taken for a dispatch
// checkpoint (the archive lease was moved to a position, and reported as one). A writer of a new kind of name adds it
// here; tests/adapters/local/index-repair-leases-kinds.test.ts fails while a name the runtime writes is missing.

import { ARCHIVE_LEASE } from './archive-lease.ts';
import { COMPACTION_CHECKPOINT } from './compaction-schedule.ts';
import { HOT_WATERMARK_PREFIX } from './compaction/hot-watermark.ts';
import { ARCHIVE_WATERMARK_PREFIX } from './lifecycle-watermark.ts';
import { rebuildCheckpointName } from './rebuild/promote.ts';
import { rebuildLeaseName } from './rebuild/rebuild-lease.ts';

/**
 * - `dispatch`: a DispatchTail's position in the index (the runtime's tail is named `dispatch`);
 * - `lease`: a lease's expiry and holder tag (lease-take.ts), 0 when free;
 * - `rebuild-pointer`: the generation a projection's unfinished rebuild builds (promote.ts), 0 when none;
 * - `compaction`: epoch seconds the scheduled compaction has walked to (compaction-schedule.ts);
 * - `hot-watermark`: the background compaction's hour and index position (compaction/hot-watermark.ts), and the
 *   archive run's position and cutoffs (lifecycle-watermark.ts), 0 when none: an index repair clears both.
 */
export type CheckpointKind = 'dispatch' | 'lease' | 'rebuild-pointer' | 'compaction' | 'hot-watermark';

/** The name the runtime's DispatchTail checkpoints under (its `name` option's default). */
export const DISPATCH_CHECKPOINT = 'dispatch';

interface NamePattern {
  readonly kind: CheckpointKind;
  readonly name: string;
  /** True: every name starting with `name` (one per projection). */
  readonly prefix: boolean;
}

// Order matters: the rebuild lease's prefix (`rebuild:lease:`) starts with the rebuild pointer's (`rebuild:`).
const KINDS: readonly NamePattern[] = [
  { kind: 'dispatch', name: DISPATCH_CHECKPOINT, prefix: false },
  { kind: 'lease', name: ARCHIVE_LEASE, prefix: false },
  { kind: 'lease', name: rebuildLeaseName(''), prefix: true },
  { kind: 'rebuild-pointer', name: rebuildCheckpointName(''), prefix: true },
  { kind: 'compaction', name: COMPACTION_CHECKPOINT, prefix: false },
  { kind: 'hot-watermark', name: HOT_WATERMARK_PREFIX, prefix: true },
  { kind: 'hot-watermark', name: ARCHIVE_WATERMARK_PREFIX, prefix: true },
];

/**
 * The kind of a CheckpointStore name eventlake writes; undefined for any other name, which only a caller's own
 * DispatchTail (given another `name`) or a caller's own use of the store writes.
 *
 * @example
 * checkpointKind('archive:lease'); // 'lease'
 * checkpointKind('rebuild:balances'); // 'rebuild-pointer'
 * checkpointKind('my-webhook-tail'); // undefined
 */
export function checkpointKind(name: string): CheckpointKind | undefined {
  return KINDS.find((k) => (k.prefix ? name.startsWith(k.name) : name === k.name))?.kind;
}
