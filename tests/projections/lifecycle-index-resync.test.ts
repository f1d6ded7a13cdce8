// An archive run killed after the tier moved a segment but before the index was told leaves the index on the old
// class (check: storageMismatch; a rebuild planned one restore short). The next run tells the index; it skipped the
// segment, whose class in the tier already met its target, and nothing else ever told the index.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { generateEvents } from '../../domain/generator.ts';
import { runLifecycle } from '../../projections/lifecycle.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 0, 1) / 1000;
const DAY = 86_400;

const test = suite('archive run: an index left behind by a killed run');

test('the next run sets the index to the class the tier holds', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), onCatchUpError: () => {} });
  try {
    await local.lake.emit(generateEvents({ accounts: 4, days: 2, eventsPerDay: 24, start: START, seed: 3 }));
    const now = (START + 200 * DAY) * 1000;
    await runLifecycle(local, { now });
    const archived = (await local.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
    assert.ok(archived.length > 0, 'the first run archived nothing');
    const victim = archived[0]!;
    await local.index.setObjectStorage(victim.key, 'STANDARD', 'NONE'); // what the killed run left
    await runLifecycle(local, { now });
    const after = (await local.index.objects()).find((o) => o.key === victim.key);
    assert.is(after?.storageClass, victim.storageClass);
  } finally {
    await local.close();
  }
});

test.run();
