// GET /health: cheap, catches nothing up, and shows the dispatch lag a load balancer or dashboard may watch.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { decorateWith } from '../support/faults.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('GET /health');
const deposits = (n: number) => Array.from({ length: n }, (_, i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` }));

test('answers ok with the events indexed and nothing behind once dispatch has caught up', async () => {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir });
  const app = buildServer(local);
  try {
    await local.lake.emit(deposits(3));
    const r = await app.inject({ method: 'GET', url: '/health' });
    assert.is(r.statusCode, 200);
    assert.equal(r.json(), { status: 'ok', dataDir: local.dataDir, events: 3, undispatchedPositions: 0, undispatchedEvents: 0 });
  } finally {
    await app.close();
    await local.close();
  }
});

test('shows positions not yet dispatched, and asking does not dispatch them', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir(), decorate: decorateWith({ checkpoints: { method: 'set', failFirst: 1 } }), onCatchUpError: () => {} });
  const app = buildServer(local);
  try {
    await local.lake.emit(deposits(2));
    for (let i = 0; i < 2; i++) assert.is((await app.inject({ method: 'GET', url: '/health' })).json<{ undispatchedPositions: number }>().undispatchedPositions, 2);
  } finally {
    await app.close();
    await local.close();
  }
});

test.run();
