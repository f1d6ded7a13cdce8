// GET /balances, GET /balances/ACCOUNT and GET /statement/ACCOUNT when a projection they read holds dead letters:
// `balance` and `statement` warned on stderr, while serve answered the same balance with nothing to say it leaves
// events out. The answers now carry `warnings` (code DEAD_LETTERED, projection, count, last error, the CLI's words),
// and a dead-letter store that cannot be read still answers the balance (DEAD_LETTERS_UNLISTED).

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { UnsupportedOnTargetError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { buildServer } from '../../cli/server.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('serve: balance and statement answers say which dead-lettered events they leave out');

const EXAMPLE = resolve(fileURLToPath(new URL('../../examples/outgoing-payment', import.meta.url)));
const SCHEMAS = join(EXAMPLE, 'schemas');
const ACCOUNT = 'DE44-5001-0517';
const OTHER = 'DE89-3704-0044';
/** Salary 2500.00 and a 200.00 withdrawal fold; the 1200.00 rent payment is dead-lettered on both projections. */
const EVENTS = readFileSync(join(EXAMPLE, 'events.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DomainEvent);
const TO_OTHER: DomainEvent = { ...EVENTS[0]!, TargetAccount: OTHER, Amount: '10.00', RequestId: '0b1c2d3e-4f5a-4b6c-9d7e-000000000001' };
const THROWS = { outgoing_payment: { decide: (): never => { throw new Error('rule broke'); } } };

const dead = (projection: string) => ({
  code: 'DEAD_LETTERED', projection, events: 1, lastError: 'Error: rule broke',
  message: `1 event touching ${ACCOUNT} is dead-lettered on ${projection} (last error: Error: rule broke), so ${projection} leaves it out: \`eventlake dlq list --projection ${projection}\``,
});

let local: LocalEventlake;
let app: ReturnType<typeof buildServer>;

test.before(async () => {
  const dataDir = join(tempDir(), 'lake');
  const writer = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS], balanceRules: THROWS, dispatch: { baseDelayMs: 0, maxDelayMs: 0 } });
  try {
    await writer.lake.emit([...EVENTS, TO_OTHER]);
  } finally {
    await writer.close();
  }
  local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS] });
  app = buildServer(local);
});

test.after(async () => {
  await app.close();
  await local.close();
});

const get = async (url: string) => {
  const r = await app.inject({ method: 'GET', url });
  assert.is(r.statusCode, 200, r.body);
  return r.json<Record<string, unknown>>();
};

/** `local`'s dead-letter store failing with `error` while `work` runs; what serve wrote on stderr meanwhile. */
async function listingFails(error: Error, work: () => Promise<void>): Promise<string> {
  const store = local.deadLetters as { list: () => Promise<unknown> };
  const list = store.list;
  const write = process.stderr.write;
  let stderr = '';
  store.list = async () => { throw error; };
  process.stderr.write = ((chunk: unknown) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    await work();
  } finally {
    store.list = list;
    process.stderr.write = write;
  }
  return stderr;
}

test('GET /balances/ACCOUNT carries a DEAD_LETTERED warning with the projection, the count, the last error and the CLI\'s words', async () => {
  assert.equal(await get(`/balances/${ACCOUNT}`), { account: ACCOUNT, balance: '2300.00', warnings: [dead('balances')] });
});

test('GET /statement/ACCOUNT warns of statement\'s dead letters (its lines) and balances\' (its balance column)', async () => {
  const answer = await get(`/statement/${ACCOUNT}`);
  assert.equal((answer['lines'] as unknown[]).length, 2);
  assert.equal(answer['warnings'], [dead('statement'), dead('balances')]);
});

test('GET /balances warns of every dead letter on balances, without naming accounts', async () => {
  const answer = await get('/balances');
  assert.equal(answer['warnings'], [{
    code: 'DEAD_LETTERED', projection: 'balances', events: 1, lastError: 'Error: rule broke',
    message: '1 event is dead-lettered on balances (last error: Error: rule broke), so balances leaves it out of the balances of the accounts it touches: `eventlake dlq list --projection balances`',
  }]);
});

test('an account none of whose events is dead-lettered gets no warnings, though another account\'s are', async () => {
  assert.equal(await get(`/balances/${OTHER}`), { account: OTHER, balance: '10.00' });
  assert.not.ok('warnings' in await get(`/statement/${OTHER}`));
});

test('a dead-letter store that cannot be read still answers 200 with the balance, warning DEAD_LETTERS_UNLISTED', async () => {
  const unlisted = [{ code: 'DEAD_LETTERS_UNLISTED', message: 'dead letters could not be listed (see the server log), so this answer may leave out dead-lettered events without a DEAD_LETTERED warning' }];
  await listingFails(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }), async () => {
    assert.equal(await get(`/balances/${ACCOUNT}`), { account: ACCOUNT, balance: '2300.00', warnings: unlisted });
    assert.equal((await get('/balances'))['warnings'], unlisted);
    assert.equal((await get(`/statement/${ACCOUNT}`))['warnings'], unlisted);
  });
});

test('serve logs why the dead letters of a request were not listed, naming the request', async () => {
  const stderr = await listingFails(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }), async () => { await get(`/balances/${ACCOUNT}`); });
  assert.match(stderr, /^eventlake serve: GET \/balances\/DE44-5001-0517 \(req-\w+\): dead letters not listed, answered with DEAD_LETTERS_UNLISTED: Error SQLITE_IOERR: disk I\/O error\n$/);
});

test('where dead letters cannot be listed by this process (AWS: SQS), the answer carries no warnings, as balance prints none', async () => {
  await listingFails(new UnsupportedOnTargetError('dlq list', 'aws', 'read the SQS queue'), async () => {
    assert.equal(await get(`/balances/${ACCOUNT}`), { account: ACCOUNT, balance: '2300.00' });
  });
});

test.run();
