// Query strings every route reads strictly: percent-encoding that is not UTF-8 is a 400 naming the parameter (it
// answered 200 with no events), and GET /balances and /balances/ACCOUNT refuse a parameter they do not take (GET /health ignores them),
// as GET /events does (they ignored it).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: odd query strings');

test('a query value percent-encoding bytes that are not UTF-8 (account=%FF) is a 400 naming the parameter', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?account=%FF' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'account: %FF is not valid percent-encoding of UTF-8 text: percent-encode the value (encodeURIComponent)' });
  }));

test('a malformed percent-escape in a query value (type=%) is a 400 naming the parameter', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?since=2024-01-01&type=%' });
    assert.is(r.statusCode, 400);
    assert.match(r.json<{ message: string }>().message, /^type: % is not valid percent-encoding of UTF-8 text/);
  }));

test('a query parameter name that is not UTF-8 is a 400 naming it as sent', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balances?acc%FF=1' });
    assert.is(r.statusCode, 400);
    assert.match(r.json<{ message: string }>().message, /^acc%FF: is not valid percent-encoding of UTF-8 text/);
  }));

test('well-formed percent-encoding and + for a space are still read', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?account=DE44+5001%2D0517&type=%63ash_deposit' });
    assert.is(r.statusCode, 200);
    assert.equal(r.json(), { events: [] });
  }));

test('GET /balances refuses a parameter, pointing one account\'s balance to GET /balances/ACCOUNT', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balances?account=DE44-5001-0517' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'account: is not a parameter of GET /balances: it takes none: for one account\'s balance, GET /balances/ACCOUNT (percent-encoded)' });
  }));

test('GET /balances/ACCOUNT refuses a parameter', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balances/DE44-5001-0517?x=1' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'x: is not a parameter of GET /balances/ACCOUNT: it takes none (the account goes in the path)' });
  }));

test('GET /health ignores a parameter: a monitor\'s cache-buster must not read as the lake being down', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/health?_=1700000000' });
    assert.is(r.statusCode, 200, r.body);
    assert.is(r.json<{ status: string }>().status, 'ok');
  }));

test('GET /events still names the closest parameter it takes', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/events?acount=X' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'acount: is not a parameter of GET /events (did you mean account?): the parameters are since, until, type, account, limit, after' });
  }));

test.run();
