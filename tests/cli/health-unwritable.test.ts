// GET /health while a folder appends write to may no longer be written by the server (an operator's chmod or chown
// under a running `serve`): it said ok while every append into that folder failed. Injected with the access() and uid
// seams (root ignores file modes, and CI runs unprivileged); the check only asks access(), so that is what fails.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { failFs, fakeUids } from '../adapters/local/open-readonly-faults.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('GET /health with a folder appends write to not writable');

/** 2024-03-07 09:30 UTC: the server's clock, and the time of the events in the lake. */
const T = Date.UTC(2024, 2, 7, 9, 30);
const HOUR = 'events/year=2024/month=03/day=07/hour=09';

interface Health { status: string; reason?: string; events: number; notWritable?: { code: string; path: string; errno: string; message: string } }

/** `fn` with a server on a lake holding 2 events of this hour, its clock at `clock.ms` (tests move it); closed after. */
const onServer = (fn: (poll: () => Promise<{ code: number; body: Health }>, local: LocalEventlake, clock: { ms: number }) => Promise<void>) => async () => {
  const clock = { ms: T };
  const local = await openLocalEventlake({ dataDir: tempDir(), now: () => clock.ms });
  const app = buildServer(local);
  const restoreUids = fakeUids(1000, () => 1000);
  try {
    await local.lake.emit([1, 2].map((n) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-00000000000${n}`, EventTimeStamp: T / 1000 })));
    await fn(async () => {
      const r = await app.inject({ method: 'GET', url: '/health' });
      return { code: r.statusCode, body: r.json<Health>() };
    }, local, clock);
  } finally {
    restoreUids();
    await app.close();
    await local.close();
  }
};

/** While `fn` runs, access() refuses `path` with EACCES. */
async function refusing<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const undo = failFs('accessSync', 'EACCES', (p) => p === path);
  try {
    return await fn();
  } finally {
    undo();
  }
}

test('answers 503 failing when the folder this hour\'s appends write into is not writable, naming it and the fix', onServer(async (poll, local) => {
  const folder = join(local.dataDir, HOUR);
  const { code, body } = await refusing(folder, poll);
  assert.equal({ code, status: body.status, events: body.events }, { code: 503, status: 'failing', events: 2 });
  assert.equal({ code: body.notWritable?.code, path: body.notWritable?.path, errno: body.notWritable?.errno }, { code: 'DATA_DIR_NOT_WRITABLE', path: folder, errno: 'EACCES' });
  assert.match(String(body.reason), `appends fail: DATA_DIR_NOT_WRITABLE: `);
  assert.match(String(body.reason), `${folder} cannot be written (EACCES: uid 1000 owns it, but its mode refuses it); appends of events in ${HOUR}/ fail until it is fixed`);
  assert.match(String(body.reason), `chmod -R u+rwX ${local.dataDir}`);
}));

test('answers 200 degraded, not failing, when only the next hour\'s folder cannot be made (its day folder is not writable)', onServer(async (poll, local) => {
  const day = join(local.dataDir, 'events/year=2024/month=03/day=07');
  const { code, body } = await refusing(day, poll);
  assert.equal({ code, status: body.status, path: body.notWritable?.path }, { code: 200, status: 'degraded', path: day });
  assert.match(String(body.reason), /^appends will fail: DATA_DIR_NOT_WRITABLE: .*appends of events in an hour whose folder is not made yet fail/);
}));

test('answers 200 degraded when the journal folder is not writable: its next segment cannot be made', onServer(async (poll, local) => {
  const { journalDir } = dataDirLayout(local.dataDir);
  const { code, body } = await refusing(journalDir, poll);
  assert.equal({ code, status: body.status, path: body.notWritable?.path }, { code: 200, status: 'degraded', path: journalDir });
  assert.match(String(body.reason), 'appends fail once the journal starts its next segment');
}));

test('polls within a few seconds reuse the last check; the first after them sees the folder writable again and answers ok', onServer(async (poll, local, clock) => {
  assert.is((await refusing(join(local.dataDir, HOUR), poll)).body.status, 'failing');
  clock.ms += 4_000;
  assert.is((await poll()).body.status, 'failing');
  clock.ms += 1_000;
  const { code, body } = await poll();
  assert.equal({ code, status: body.status, notWritable: body.notWritable }, { code: 200, status: 'ok', notWritable: undefined });
}));

test.run();
