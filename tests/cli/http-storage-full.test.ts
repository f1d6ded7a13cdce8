// The HTTP API on a full disk: 503 STORAGE_FULL with Retry-After and the fix, never 500 "internal error".

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import { StorageFullError } from '../../domain/errors.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('http storage full');

const event = SAMPLES.cash_deposit;

/** POST /events answered while the lake's append throws `error` (the disk filled under it). */
async function postWhileAppendThrows(error: Error) {
  let answer: { statusCode: number; headers: Record<string, unknown>; body: { error: string; message: string } } | undefined;
  await withLake(async (local) => {
    local.lake.append = async () => { throw error; };
    const app = buildServer(local);
    try {
      const reply = await app.inject({ method: 'POST', url: '/events', payload: event });
      answer = { statusCode: reply.statusCode, headers: reply.headers, body: reply.json() };
    } finally {
      await app.close();
    }
  });
  return answer!;
}

test('a StorageFullError answers 503 STORAGE_FULL with Retry-After and its message', async () => {
  const full = new StorageFullError('/data/journal', 'appending 1 event failed: no space left (ENOSPC) on the disk holding /data/journal; nothing of it was stored. Free space on that disk');
  const reply = await postWhileAppendThrows(full);
  assert.equal([reply.statusCode, reply.headers['retry-after'], reply.body], [503, '30', { error: 'STORAGE_FULL', message: full.message }]);
});

test('a raw ENOSPC answers 503 STORAGE_FULL naming the file and the fix, not 500 internal error', async () => {
  const raw = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/journal/0000.ndjson' });
  const reply = await postWhileAppendThrows(raw);
  assert.equal([reply.statusCode, reply.headers['retry-after'], reply.body.error], [503, '30', 'STORAGE_FULL']);
  assert.match(reply.body.message, /POST \/events failed: no space left \(ENOSPC\) on the disk holding \/data\/journal\/0000\.ndjson; .*Free space on that disk/);
});

test.run();
