// A local data dir whose hour a compaction run relocated into its segment and stopped before removing the originals,
// for the local check's tests of compaction leftovers (library and CLI).

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import { compactHour } from '../../projections/compactor.ts';
import { rejects } from './async.ts';
import { variant } from './samples.ts';

const depositNo = (n: number): DomainEvent => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;
/** Two emits of one hour, so two batch objects in it. */
export const EMITS = [[1, 2, 3], [4, 5]].map((ns) => ns.map(depositNo));
export const EVENTS = EMITS.flat();
export const PREFIX = partitionPrefix(EVENTS[0]!.EventTimeStamp);
export const SEGMENT = `${PREFIX}segment.ndjson`;

class SimulatedCrash extends Error {}

type Local = Awaited<ReturnType<typeof openLocalEventlake>>;

/** `then` with the data dir `dir` open; closed after. */
async function withLake(dir: string, then: (local: Local) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: dir });
  try {
    await then(local);
  } finally {
    await local.close();
  }
}

/** EMITS emitted into `dir`, nothing compacted. */
export async function emitted(dir: string): Promise<void> {
  await withLake(dir, async (local) => {
    for (const events of EMITS) await local.lake.emit(events);
  });
}

/** EMITS in `dir`, their hour compacted by a run stopped after relocating, before removing; returns the batch objects it left. */
export async function interruptedCompaction(dir: string): Promise<string[]> {
  await emitted(dir);
  const originals: string[] = [];
  await withLake(dir, async ({ log, index }) => {
    for await (const { key } of log.list(PREFIX)) originals.push(key);
    const afterRelocate = () => { throw new SimulatedCrash('after relocating, before removing'); };
    await rejects(() => compactHour({ log, index }, PREFIX, { afterRelocate }), SimulatedCrash);
  });
  return originals;
}

/** The next compaction run of the hour, which finishes what the interrupted one left. */
export async function compactAgain(dir: string): Promise<void> {
  await withLake(dir, async ({ log, index }) => {
    await compactHour({ log, index }, PREFIX);
  });
}
