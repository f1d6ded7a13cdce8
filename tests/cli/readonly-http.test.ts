// `serve` on a data dir opened read-only: a POST /events is refused as a method this server does not take (405, Allow:
// GET, HEAD, DATA_DIR_NOT_WRITABLE), whatever its body, with the commands of its message spelled as serve was run
// (--read-only included), and nothing written; the GET routes answer as before. In-process, on one shared data dir.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openReadOnlyLocalEventlake } from '../../adapters/local/open-read-only.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { followUp } from '../../cli/follow-up.ts';
import { buildServer } from '../../cli/server.ts';
import { snapshotOf } from '../adapters/local/open-readonly-faults.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';

const test = suite('serve on a data dir opened read-only');

let shared: Promise<string> | undefined;
const sharedDataDir = (): Promise<string> => (shared ??= emittedDataDir([SAMPLES.cash_deposit!]));

/** `fn` with a server on the shared data dir opened read-only, its answers' commands spelled with `--data-dir`. */
async function onReadOnlyServer(fn: (app: ReturnType<typeof buildServer>, local: LocalEventlake) => Promise<void>): Promise<void> {
  const dir = await sharedDataDir();
  const local = await openReadOnlyLocalEventlake({ dataDir: dir });
  const app = buildServer(local, { command: followUp({ dataDir: dir, schemaFolders: [] }) });
  try {
    await fn(app, local);
  } finally {
    await app.close();
    await local.close();
  }
}

test('a POST /events answers 405 with Allow: GET, HEAD and DATA_DIR_NOT_WRITABLE, and nothing is written', () => onReadOnlyServer(async (app, local) => {
  const before = snapshotOf(local.dataDir);
  const r = await app.inject({ method: 'POST', url: '/events', payload: SAMPLES.incoming_payment });
  assert.equal([r.statusCode, r.headers['allow'], r.json<{ error: string }>().error], [405, 'GET, HEAD', 'DATA_DIR_NOT_WRITABLE']);
  assert.match(r.json<{ message: string }>().message, `storing events on ${local.dataDir} failed: ${local.dataDir} cannot be written (READ_ONLY: it was opened read-only); nothing was written`);
  assert.equal(snapshotOf(local.dataDir), before);
}));

test('a POST /events whose body is not even JSON answers the same 405: the server takes no POST at all', () => onReadOnlyServer(async (app) => {
  const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload: '{not json' });
  assert.equal([r.statusCode, r.json<{ error: string }>().error], [405, 'DATA_DIR_NOT_WRITABLE']);
}));

test('the refusal\'s read commands carry the server\'s global options and --read-only', () => onReadOnlyServer(async (app, local) => {
  const r = await app.inject({ method: 'POST', url: '/events', payload: SAMPLES.incoming_payment });
  assert.match(r.json<{ message: string }>().message, `Reads need none of it: eventlake --data-dir ${local.dataDir} --read-only status, balance`);
  assert.match(r.json<{ message: string }>().message, `eventlake --data-dir ${local.dataDir} --read-only check works read-only`);
}));

test('GET /balances still answers 200 on a read-only server', () => onReadOnlyServer(async (app) => {
  const r = await app.inject({ method: 'GET', url: '/balances' });
  assert.is(r.statusCode, 200, r.body);
  assert.ok(Object.keys(r.json<{ balances: object }>().balances).length > 0);
}));

test.run();
