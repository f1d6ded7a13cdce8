// GET /health on a server whose data dir was opened read-only says so (`readOnly: true`), so a router sending events
// can leave it out, and stays `ok` (200) for its GET routes: a read-only file system is not an append outage (503
// `failing`). In-process, on one shared data dir.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { openReadOnlyLocalEventlake } from '../../adapters/local/open-read-only.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { failFs } from '../adapters/local/open-readonly-faults.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('GET /health on a read-only server');

let shared: Promise<string> | undefined;
const sharedDataDir = (): Promise<string> => (shared ??= emittedDataDir([SAMPLES.cash_deposit!]));

interface Health { status: string; readOnly?: boolean; notWritable?: unknown }

/** The status code and body of GET /health on a server over `open(dataDir)`. */
async function health(open: (dataDir: string) => Promise<LocalEventlake>): Promise<{ code: number; body: Health }> {
  const local = await open(await sharedDataDir());
  const app = buildServer(local);
  try {
    const r = await app.inject({ method: 'GET', url: '/health' });
    return { code: r.statusCode, body: r.json<Health>() };
  } finally {
    await app.close();
    await local.close();
  }
}

test('a server opened read-only answers 200 with status ok and readOnly: true', async () => {
  const { code, body } = await health((dataDir) => openReadOnlyLocalEventlake({ dataDir }));
  assert.equal({ code, status: body.status, readOnly: body.readOnly }, { code: 200, status: 'ok', readOnly: true });
});

test('on a read-only file system (EROFS) it answers 200 ok with readOnly: true, not 503 failing with notWritable', async () => {
  const dir = await sharedDataDir();
  const undo = failFs('accessSync', 'EROFS', (p) => p.startsWith(dir));
  const { code, body } = await health((dataDir) => openReadOnlyLocalEventlake({ dataDir })).finally(undo);
  assert.equal({ code, status: body.status, readOnly: body.readOnly, notWritable: body.notWritable }, { code: 200, status: 'ok', readOnly: true, notWritable: undefined });
});

test('a writable server\'s health carries no readOnly', async () => {
  const { code, body } = await health((dataDir) => openLocalEventlake({ dataDir }));
  assert.equal({ code, status: body.status, readOnly: 'readOnly' in body }, { code: 200, status: 'ok', readOnly: false });
});

test.run();
