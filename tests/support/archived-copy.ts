// A local data dir whose one event sits in an archived segment, for the resend comparisons of projections/indexed-copies.

import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { eventId, type DomainEvent } from '../../domain/event.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { variant } from './samples.ts';
import { tempDir } from './tmp.ts';

export const ARCHIVED_ACCOUNT = 'DE44-5001-0517';

/** The walkthrough's event: a deposit of 1.00 (its Currency must add up to Amount). */
export const ARCHIVED_EVENT = variant('cash_deposit', {
  RequestId: 'a0000000-0000-4000-8000-000000000001', EventTimeStamp: 1_714_000_000, TargetAccount: ARCHIVED_ACCOUNT, Amount: '1.00',
  Currency: { '1-euro-coins': 1 },
}) as DomainEvent;

/** Resends of ARCHIVED_EVENT with other content whose size is the same or one byte more (what the old guess took for it). */
export const CHANGED_RESENDS: Readonly<Record<string, DomainEvent>> = {
  'another Amount of the same size': { ...ARCHIVED_EVENT, Amount: '2.00', Currency: { '1-euro-coins': 2 } },
  'another TargetAccount of the same size': { ...ARCHIVED_EVENT, TargetAccount: 'DE44-5001-0518' },
  'a TargetAccount one byte longer': { ...ARCHIVED_EVENT, TargetAccount: `${ARCHIVED_ACCOUNT}9` },
};

/** Run `fn` on a new data dir holding ARCHIVED_EVENT in an archived segment (an archive run compacted and archived its hour). */
export async function withArchivedCopy(fn: (local: LocalEventlake, dataDir: string, key: string) => Promise<void>): Promise<void> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.lake.emit(ARCHIVED_EVENT);
    await runLifecycle(local, { now: Date.now() });
    const entry = await local.index.get(eventId(ARCHIVED_EVENT));
    assert.ok(entry && entry.storageClass !== 'STANDARD' && entry.location.offset !== undefined, 'the stored copy is in an archived segment');
    await fn(local, dataDir, entry.location.key);
  } finally {
    await local.close();
  }
}

/** A closed data dir made as `withArchivedCopy` makes it, and the archived segment's key (for repairs, which need it closed). */
export async function archivedCopyDataDir(): Promise<{ dataDir: string; key: string }> {
  let made: { dataDir: string; key: string } | undefined;
  await withArchivedCopy(async (_local, dataDir, key) => { made = { dataDir, key }; });
  return made!;
}
