// GET /balances/ACCOUNT takes any account the index can key (MAX_ACCOUNT_BYTES), and a path Fastify's router refuses
// is answered in the API's own error shape, `{ error: CODE, message }`: an account over 100 characters (a user type's
// may be 2048 bytes) was a 414 in Fastify's shape ("Bad Request", FST_ERR_MAX_PARAM_LENGTH), and so was a broken
// percent-escape (FST_ERR_BAD_URL), neither a code a client of this API branches on. An empty account (GET /balances/)
// was a 404, where the CLI refuses `balance ""` as bad input.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ACCOUNT_BYTES } from '../../domain/event.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: the account in GET /balances/ACCOUNT');

test('an account of MAX_ACCOUNT_BYTES characters no event touched is a 404 EVENT_NOT_FOUND, as a short one', () =>
  withServer(async (app) => {
    const account = 'A'.repeat(MAX_ACCOUNT_BYTES);
    const r = await app.inject({ method: 'GET', url: `/balances/${account}` });
    assert.is(r.statusCode, 404);
    assert.equal(r.json(), { error: 'EVENT_NOT_FOUND', message: `no event has touched account ${account}` });
  }));

test('a longer account is a 414 INVALID_ARGUMENT naming the account and its limit', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: `/balances/${'A'.repeat(3 * MAX_ACCOUNT_BYTES + 1)}` });
    assert.is(r.statusCode, 414);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: `account: is longer than an account can be (${MAX_ACCOUNT_BYTES} UTF-8 bytes, percent-encoded at most ${3 * MAX_ACCOUNT_BYTES} characters)` });
  }));

test('a path with a broken percent-escape is a 400 INVALID_ARGUMENT naming the path and the fix', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balances/%ZZ' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'path: /balances/%ZZ is not a valid URL path: percent-encode the account (encodeURIComponent)' });
  }));

test('GET /balances/ with an empty account is a 400 INVALID_ARGUMENT naming the parameter and the fix', () =>
  withServer(async (app) => {
    const r = await app.inject({ method: 'GET', url: '/balances/' });
    assert.is(r.statusCode, 400);
    assert.equal(r.json(), { error: 'INVALID_ARGUMENT', message: 'account: is empty: give an account number (GET /balances/ACCOUNT, percent-encoded), or GET /balances for every account' });
  }));

test.run();
