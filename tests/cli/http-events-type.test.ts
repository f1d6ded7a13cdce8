// GET /events?type= names a type the lake knows (a loaded schema's, or one the log holds events of): an unknown one is
// a 400 listing the known types, as `eventlake events --type` refuses it, not a 200 with no events.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment } from '../support/account-fields.ts';
import { tempDir } from '../support/tmp.ts';

const T0 = 1_700_000_000;
const BUILT_IN = 'cash_deposit, cash_withdrawal, incoming_payment, inter_account_transfer, verify_cash_deposit';

/** GET `url` on the HTTP API of the lake in `dataDir` (with `schemaFolders`), after POSTing `payload` when given. */
async function get(dataDir: string, url: string, schemaFolders: readonly string[] = [], payload?: unknown): Promise<{ status: number; body: unknown }> {
  const local = await openLocalEventlake({ dataDir, schemaFolders });
  const app = buildServer(local);
  try {
    if (payload) assert.is((await app.inject({ method: 'POST', url: '/events', payload })).statusCode, 201);
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.json() };
  } finally {
    await app.close();
    await local.close();
  }
}

const test = suite('HTTP API: GET /events?type= known types only');

test('an unknown type is a 400 naming it and every built-in type', async () => {
  const r = await get(tempDir(), '/events?type=nope');
  assert.is(r.status, 400);
  assert.match((r.body as { message: string }).message, `type: unknown event type "nope": use one of ${BUILT_IN} (`);
  assert.is((r.body as { error: string }).error, 'INVALID_ARGUMENT');
});

test('a type of the loaded schema folders is answered, even with no event of it', async () => {
  assert.equal(await get(tempDir(), '/events?type=card_payment', [ACCOUNT_FIELDS_SCHEMAS]), { status: 200, body: { events: [] } });
});

test('a type the log holds is answered by a server that does not load its schema', async () => {
  const dataDir = tempDir();
  await get(dataDir, '/events', [ACCOUNT_FIELDS_SCHEMAS], [cardPayment(1, T0, 'CARD-0001')]);
  const r = await get(dataDir, `/events?since=${T0}&type=card_payment`);
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal((r.body as { events: { type: string }[] }).events.map((e) => e.type), ['card_payment']);
});

test.run();
