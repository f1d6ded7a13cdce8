// GET /events answers at most `limit` events (default 1000) and a `next` cursor while more match; the same query with
// `after=<next>` continues, so paging lists every event once, in order, even where many share one second. It used to
// serialise the whole log into one answer.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { buildServer } from '../../cli/server.ts';
import { variant } from '../support/samples.ts';
import { withServer } from '../support/with-server.ts';

const test = suite('HTTP API: pages of GET /events');

type App = ReturnType<typeof buildServer>;
interface Page { events: { id: string; timestamp: number }[]; next?: string }

const T0 = 1_714_000_000;
/** `n` deposits, `perSecond` of them in each second, emitted in the reverse of their ids' order within a second. */
const deposits = (n: number, perSecond: number) => Array.from({ length: n }, (_, i) =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(100_000 - i).padStart(12, '0')}`, EventTimeStamp: T0 + Math.floor(i / perSecond) }));

async function emit(app: App, events: readonly unknown[]): Promise<void> {
  const r = await app.inject({ method: 'POST', url: '/events', payload: events });
  assert.is(r.statusCode, 201, r.body);
}

async function get(app: App, url: string): Promise<Page> {
  const r = await app.inject({ method: 'GET', url });
  assert.is(r.statusCode, 200, r.body);
  return r.json() as Page;
}

test('without limit an answer holds 1000 events and a next naming the last of them', () =>
  withServer(async (app) => {
    await emit(app, deposits(1001, 1));
    const page = await get(app, '/events');
    assert.is(page.events.length, 1000);
    assert.is(page.next, page.events[999]!.id);
  }));

test('the last page has no next, also when it is exactly full', () =>
  withServer(async (app) => {
    await emit(app, deposits(4, 1));
    const page = await get(app, '/events?limit=4');
    assert.is(page.events.length, 4);
    assert.ok(!('next' in page));
  }));

test('paging with after=next lists every event once, in order, where several share a second', () =>
  withServer(async (app) => {
    await emit(app, deposits(23, 4));
    const whole = (await get(app, '/events')).events.map((e) => e.id);
    const paged: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      pages++;
      const page = await get(app, `/events?since=${T0}&limit=3${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      paged.push(...page.events.map((e) => e.id));
      after = page.next;
    } while (after !== undefined);
    assert.is(whole.length, 23);
    assert.is(pages, 8);
    assert.equal(paged, whole);
  }));

test('after keeps the query\'s own range: an after before since starts at since', () =>
  withServer(async (app) => {
    await emit(app, deposits(6, 2));
    const first = (await get(app, '/events?limit=1')).events[0]!.id;
    const page = await get(app, `/events?since=${T0 + 2}&after=${first}`);
    assert.equal(page.events.map((e) => e.timestamp), [T0 + 2, T0 + 2]);
  }));

test.run();
