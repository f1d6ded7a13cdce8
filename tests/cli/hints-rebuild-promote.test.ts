// `eventlake rebuild`'s own promotion, refused (here: the generation's checkpoint read back as built under another
// projection version; only a promotion checks the version, so the rebuild and its verification run as usual), names
// the rebuild and the drop as this CLI runs them: with the global options given.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ProjectionStore } from '../../domain/ports/projection-store.ts';
import type { LocalEventlakeOptions } from '../../projections/runtime.ts';
import { rejects } from '../support/async.ts';
import { localScenarioCopies } from '../support/local-scenario-copies.ts';
import { eventlakeDecorated } from './rebuild-in-process.ts';

const test = suite('rebuild\'s promotion refusal spells its commands with the global options (CLI)');

const scenarios = localScenarioCopies({ days: 2, eventsPerDay: 20 });

/** A projection store that reads every checkpoint back as written under projection version 99. */
const otherVersion: NonNullable<LocalEventlakeOptions['decorate']> = (name, port) => {
  if (name !== 'store') return port;
  const store = port as unknown as ProjectionStore;
  const getCheckpoint: ProjectionStore['getCheckpoint'] = async (projection, generation) => {
    const cp = await store.getCheckpoint(projection, generation);
    return cp && typeof cp['planKey'] === 'string' ? { ...cp, planKey: cp['planKey'].replace(/\|v\d+$/, '|v99') } : cp;
  };
  return Object.assign(Object.create(store) as ProjectionStore, { getCheckpoint }) as unknown as typeof port;
};

test('a rebuild whose promotion is refused names the rebuild and the drop with the global options', async () => {
  const dir = (await scenarios()).dataDir;
  const error = await rejects(() => eventlakeDecorated(['--data-dir', dir, 'rebuild', '--projection', 'balances', '--from', '0'], otherVersion), Error);
  assert.match(error.message, 'was rebuilt under projection version 99');
  assert.match(error.message, `rebuild it (eventlake --data-dir ${dir} rebuild --projection balances --from T, T a time or 0) and drop it (eventlake --data-dir ${dir} generations drop 2 --projection balances)`);
});

test.run();
