// An archive run killed after the tier moved a segment but before the index was told leaves the index on the old
// class (check: storageMismatch; a rebuild planned one restore short). The next run tells the index; it skipped the
// segment, whose class in the tier already met its target, and nothing else ever told the index.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { PortName } from '../../adapters/local/local-eventlake.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import type { EventIndex } from '../../domain/ports/event-index.ts';
import type { RestoreState, StorageClass } from '../../domain/ports/storage.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;

const test = suite('archive run: an index left behind by a killed run');

/** Thrown by the index while the tier reports its first archive move: the run dies right after the tier moved. */
class Killed extends Error {}

test('the next run sets the index to the class the tier holds', async () => {
  let victim: string | undefined;
  // The index update of the first move fails, as a run killed between the tier's move and the index's: that run ends
  // there (it saves no archive watermark), and the tier holds the segment in a colder class than the index says.
  const decorate = <T extends object>(name: PortName, port: T): T => (name !== 'index' ? port : new Proxy(port, {
    get: (target, key) => (key !== 'setObjectStorage' ? Reflect.get(target, key, target) as unknown : (k: string, c: StorageClass, r: RestoreState) => {
      if (victim === undefined && c !== 'STANDARD') {
        victim = k;
        return Promise.reject(new Killed());
      }
      return (target as unknown as EventIndex).setObjectStorage(k, c, r);
    }),
  }));
  const local = await openLocalEventlake({ dataDir: tempDir(), onCatchUpError: () => {}, decorate });
  try {
    await local.lake.emit(generateEvents({ accounts: 4, days: 2, eventsPerDay: 24, start: START, seed: 3 }));
    const now = (START + 200 * DAY) * 1000;
    await rejects(() => runLifecycle(local, { now }), Killed);
    const [moved] = await local.archive.storage([victim!]);
    const before = (await local.index.objects()).find((o) => o.key === victim);
    assert.equal([before?.storageClass, moved?.storageClass], ['STANDARD', 'DEEP_ARCHIVE'], 'what the killed run left');
    await runLifecycle(local, { now });
    const after = (await local.index.objects()).find((o) => o.key === victim);
    assert.is(after?.storageClass, moved?.storageClass);
  } finally {
    await local.close();
  }
});

test.run();
