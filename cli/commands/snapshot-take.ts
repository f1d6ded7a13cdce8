// `eventlake snapshot take`'s snapshots, one projection after another: a failure names the ones taken before it.

import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { StorageFullError, UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { SnapshotInfo } from '../../domain/ports/snapshot-store.ts';
import { followUp } from '../follow-up.ts';
import type { GlobalOptions } from '../options.ts';

/**
 * Dead letters of a projection, or 0 where the target keeps them elsewhere: on AWS they sit in SQS queues (with
 * alarms) and a snapshot is a PITR marker of the table, so there is nothing to warn about here.
 */
async function deadLetterCount(local: LocalEventlake, name: string): Promise<number> {
  try {
    return (await local.deadLetters.list(name)).length;
  } catch (error) {
    if (error instanceof UnsupportedOnTargetError) return 0;
    throw error;
  }
}

/**
 * A snapshot of the live generation of each of `names`, in order, all with `highWaterMark`. When one fails after
 * others were taken, the error says which were taken (they are kept) and the command that takes the rest.
 */
export async function takeSnapshots(local: LocalEventlake, names: readonly string[], highWaterMark: number, opts: GlobalOptions): Promise<SnapshotInfo[]> {
  const taken: SnapshotInfo[] = [];
  for (const [i, name] of names.entries()) {
    const dead = await deadLetterCount(local, name);
    if (dead > 0) process.stderr.write(`eventlake: warning: ${dead} dead letter(s) of ${name} are not in its snapshot; redrive them (${followUp(opts)('dlq', 'redrive', '--projection', name)})\n`);
    try {
      taken.push(await local.snapshots.take(name, await local.store.liveGeneration(name), highWaterMark));
    } catch (error) {
      throw takenBefore(error, taken, names.slice(i), opts);
    }
  }
  return taken;
}

/** `error`, saying which snapshots were taken before it (a StorageFullError's message; another's a line before it). */
function takenBefore(error: unknown, taken: readonly SnapshotInfo[], rest: readonly string[], opts: GlobalOptions): unknown {
  if (taken.length === 0) return error;
  const note = `the snapshots taken before it are kept (${taken.map((s) => `${s.projection} ${s.id}`).join(', ')}); ` +
    `take the others with: ${followUp(opts)('snapshot', 'take', '--projection', ...rest)}`;
  if (error instanceof StorageFullError) return new StorageFullError(error.where, `${error.message}. ${note[0]!.toUpperCase()}${note.slice(1)}`, { cause: error });
  process.stderr.write(`eventlake: snapshot take stopped at ${rest[0]}: ${note}\n`);
  return error;
}
