// POST /events takes UTF-8 JSON only, and a JSON body is read as JSON, whatever its keys: bytes that are not UTF-8
// were replaced with U+FFFD and the event stored (201) with an account or reference the client never sent, and a
// valid JSON body with a "__proto__" key was answered "not valid JSON", where the same event as NDJSON names the field.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLES } from '../support/samples.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: the bytes of a request body');

/** The sample deposit with its Reference "M?ller", ? being a Latin-1 ü (0xfc), which is no UTF-8. */
const latin1Deposit = (() => {
  const [before, after] = JSON.stringify({ ...SAMPLES['cash_deposit'], Reference: 'M@ller' }).split('@') as [string, string];
  return Buffer.concat([Buffer.from(before), Buffer.from([0xfc]), Buffer.from(after)]);
})();

for (const type of ['application/json', 'application/x-ndjson']) {
  test(`a ${type} body with a byte that is not UTF-8 is a 400 INVALID_ARGUMENT naming the line and the fix; nothing is stored`, () =>
    withServer(async (app) => {
      const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': type }, payload: latin1Deposit });
      assert.is(r.statusCode, 400);
      assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'line 1: is not UTF-8 text: encode the events as UTF-8 (e.g. iconv -f latin1 -t utf-8), JSON\'s only encoding' });
      assert.equal((await app.inject({ method: 'GET', url: '/events' })).json(), { events: [] });
    }));
}

test('an application/json event with a "__proto__" key is refused as NDJSON\'s is: a 400 naming the field', () =>
  withServer(async (app) => {
    const payload = JSON.stringify(SAMPLES['cash_deposit']).replace('{', '{"__proto__":{"Verified":true},');
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload });
    assert.is(r.statusCode, 400);
    const body = r.json<{ error: string; failures: { issues: { pointer: string }[] }[] }>();
    assert.is(body.error, 'BATCH_REJECTED');
    assert.equal(body.failures[0]!.issues.map((i) => i.pointer), ['/__proto__']);
  }));

test('an application/json body with a UTF-8 byte order mark is read as JSON', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'POST', url: '/events', headers: { 'content-type': 'application/json' }, payload: `\ufeff${JSON.stringify(SAMPLES['cash_deposit'])}` });
    assert.is(r.statusCode, 201);
  }));

test.run();
