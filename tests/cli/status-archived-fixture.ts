// A data dir whose dispatch waits on an archived object: two days of January 2024 archived in GLACIER, then the
// dispatch checkpoint moved back to 0 (as `repair index` does when the tail had not reached them), and a hot day
// after them, so the next drain meets EVENT_ARCHIVED at its first page and every catch-up stops there.

import { dataDirLayout } from '../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { generateEvents } from '../../domain/generator.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;

/** What the waiting lake holds. */
export interface WaitingLake {
  readonly dataDir: string;
  /** Events in the index: archived and hot. */
  readonly events: number;
  readonly archivedKeys: readonly string[];
  /** The first archived object in position order: the one dispatch waits on. */
  readonly firstKey: string;
}

/** The data dir, closed, with dispatch at 0: before two archived days (an object per hour) and a hot one. */
export async function waitingLake(): Promise<WaitingLake> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, onCatchUpError: () => {} });
  let archivedKeys: string[];
  let firstKey: string;
  let events: number;
  try {
    await local.lake.emit(generateEvents({ accounts: 4, days: 2, eventsPerDay: 24, start: START, seed: 7 }));
    await runLifecycle({ log: local.log, index: local.index, archive: local.archive }, { now: (START + 20 * DAY) * 1000 });
    await local.lake.emit(generateEvents({ accounts: 4, days: 1, eventsPerDay: 12, start: START + 30 * DAY, seed: 8 }));
    archivedKeys = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD').map((o) => o.key).sort();
    firstKey = (await local.index.afterPosition(0, 1)).entries[0]!.location.key;
    events = await local.index.count();
  } finally {
    await local.close();
  }
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dataDir).dispatchDb);
  try {
    await checkpoints.set('dispatch', 0);
  } finally {
    checkpoints.close();
  }
  return { dataDir, events, archivedKeys, firstKey };
}
