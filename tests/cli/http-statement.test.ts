// GET /statement/ACCOUNT on serve: the lines `eventlake statement ACCOUNT --json` prints, since= and until= as its
// flags, a 404 saying why for an account without lines, a 400 naming any other query parameter.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite('GET /statement/ACCOUNT');

const ACCOUNT = 'DE44-5001-0517';
let local: LocalEventlake;
let app: ReturnType<typeof buildServer>;

test.before(async () => {
  local = await openLocalEventlake({ dataDir: tempDir() });
  await local.lake.emit(Object.values(SAMPLES));
  app = buildServer(local);
});

test.after(async () => {
  await app.close();
  await local.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

test('answers the account and the lines `eventlake statement --json` prints, in the same order and shape', async () => {
  const r = await get(`/statement/${ACCOUNT}`);
  assert.is(r.statusCode, 200, r.body);
  const answer = r.json<{ account: string; lines: Record<string, unknown>[] }>();
  assert.is(answer.account, ACCOUNT);
  const cli = await runCli(['--data-dir', local.dataDir, 'statement', ACCOUNT, '--json']);
  assert.equal(answer.lines, cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown));
  assert.equal(answer.lines.map((l) => l['amount']), ['123.40', '-200.00', '123.45', '-123.45']);
});

test('since= and until= keep the lines of [since, until)', async () => {
  const r = await get(`/statement/${ACCOUNT}?since=1234567990&until=1234569990`);
  assert.is(r.statusCode, 200, r.body);
  assert.equal(r.json<{ lines: { type: string }[] }>().lines.map((l) => l.type), ['cash_withdrawal', 'incoming_payment']);
});

test('an account no event touched is a 404 EVENT_NOT_FOUND naming it and GET /balances', async () => {
  const r = await get('/statement/NO-SUCH-ACCOUNT');
  assert.is(r.statusCode, 404);
  assert.equal(r.json(), { error: 'EVENT_NOT_FOUND', message: 'no event at account NO-SUCH-ACCOUNT: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and \'-\', and GET /balances lists every account' });
});

test('a query parameter other than since and until is a 400 naming it and the parameters there are', async () => {
  const r = await get(`/statement/${ACCOUNT}?from=2024-01-01`);
  assert.is(r.statusCode, 400);
  assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'from: is not a parameter of GET /statement/ACCOUNT: the parameters are since, until' });
});

test('an until not after since is a 400 naming until', async () => {
  const r = await get(`/statement/${ACCOUNT}?since=1234569990&until=1234567990`);
  assert.is(r.statusCode, 400);
  assert.match(r.json<{ message: string }>().message, /^until: 1234567990 is not after since 1234569990/);
});

test.run();
