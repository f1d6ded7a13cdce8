// A read whose catch-up is blocked by a stored event the registry refuses is the server's problem, not the client's:
// 503 with the cause, never a 4xx that tells a client its request was wrong.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { UpcastError } from '../../domain/errors.ts';
import { DispatchBlockedError } from '../../domain/projection-errors.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('HTTP reads while dispatch is blocked');

test('GET /balances answers 503 naming DISPATCH_BLOCKED and its cause', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const blocked = new DispatchBlockedError(7, 'fee_1', new UpcastError('fee_1', 'fee', 1, [], 'threw'));
  const lake = Object.assign(Object.create(local.lake) as typeof local.lake, { balances: () => Promise.reject(blocked) });
  const app = buildServer({ ...local, lake });
  try {
    const r = await app.inject({ method: 'GET', url: '/balances' });
    assert.is(r.statusCode, 503);
    assert.equal(r.json(), { error: 'DISPATCH_BLOCKED', message: blocked.message });
    assert.match(blocked.message, 'UPCAST_FAILED');
  } finally {
    await app.close();
    await local.close();
  }
});

test.run();
