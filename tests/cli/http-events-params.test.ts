// GET /events reads its query string strictly: an unknown (misspelled) parameter, a single-valued one given twice, or
// an empty filter is a 400 naming it, where each used to answer a wider listing than was asked (the whole log for
// `sinse=`, no events for `type=`).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLES } from '../support/samples.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: the parameters of GET /events');

const KNOWN = 'the parameters are since, until, type, account, limit, after';

async function refusal(url: string): Promise<{ status: number; body: unknown }> {
  let out = { status: 0, body: undefined as unknown };
  await withServer(async (app) => {
    await app.inject({ method: 'POST', url: '/events', payload: Object.values(SAMPLES) });
    const r = await app.inject({ method: 'GET', url });
    out = { status: r.statusCode, body: r.json() };
  });
  return out;
}

test('a misspelled parameter is a 400 naming it, the parameter it is closest to and the known ones', async () => {
  assert.equal(await refusal('/events?sinse=1234569000'), { status: 400, body: { error: 'INVALID_ARGUMENT', message: `sinse: is not a parameter of GET /events (did you mean since?): ${KNOWN}` } });
});

test('an unknown parameter close to none is a 400 naming it and the known ones', async () => {
  assert.equal(await refusal('/events?from=0'), { status: 400, body: { error: 'INVALID_ARGUMENT', message: `from: is not a parameter of GET /events: ${KNOWN}` } });
});

for (const name of ['since', 'until', 'limit', 'after']) {
  test(`${name} given twice is a 400 naming it and both values`, async () => {
    const [a, b] = name === 'after' ? ['x', 'y'] : ['1234560000', '1234570000'];
    assert.equal(await refusal(`/events?${name}=${a}&${name}=${b}`), { status: 400, body: { error: 'INVALID_ARGUMENT', message: `${name}: is given 2 times ("${a}", "${b}"): give it once` } });
  });
}

test('type given twice lists the events of either type', () =>
  withServer(async (app) => {
    await app.inject({ method: 'POST', url: '/events', payload: Object.values(SAMPLES) });
    const r = await app.inject({ method: 'GET', url: '/events?type=cash_withdrawal&type=incoming_payment' });
    assert.is(r.statusCode, 200);
    assert.equal((r.json() as { events: { type: string }[] }).events.map((e) => e.type), ['cash_withdrawal', 'incoming_payment']);
  }));

test('an empty type is a 400 naming type and how to ask for every type', async () => {
  assert.equal(await refusal('/events?type='), { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'type: is empty: give an EventType such as cash_deposit (repeat type= for any of several), or leave type out for every type' } });
});

test('an empty account is a 400 naming account and how to ask for every account', async () => {
  assert.equal(await refusal('/events?account=&account=DE44-5001-0517'), { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'account: is empty: give an account number such as DE44-5001-0517 (repeat account= for any of several), or leave account out for every account' } });
});

for (const limit of ['0', '-1', '1.5', 'ten', '']) {
  test(`limit=${limit} is a 400 naming limit and its range`, async () => {
    assert.equal(await refusal(`/events?limit=${limit}`), { status: 400, body: { error: 'INVALID_ARGUMENT', message: `limit: "${limit}" is not a number of events: give a whole number from 1 to 10000 (default 1000)` } });
  });
}

test('a limit over 10000 is a 400 saying to page with after=next', async () => {
  assert.equal(await refusal('/events?limit=10001'), { status: 400, body: { error: 'INVALID_ARGUMENT', message: "limit: 10001 is over the largest page, 10000 events: give at most 10000 and fetch the next page with after= the answer's next" } });
});

test('an empty after is a 400 naming after', async () => {
  assert.equal(await refusal('/events?after='), { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'after: is empty: give the next of the page before (an event id), or leave after out for the first page' } });
});

test('an after that is no indexed event is a 400 naming it', async () => {
  assert.equal(await refusal('/events?after=cash_deposit_nope'), { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'after: cash_deposit_nope is no indexed event: give the next of the page before, unchanged, or leave after out for the first page' } });
});

test.run();
