// Fuzzing the HTTP API (Fastify inject, no socket): hostile bodies and content types to POST /events and hostile
// query strings to GET /events and /balances. Answers are 2xx or a typed 4xx (400, 404, 409, 413-415, 422), never
// a 5xx, and a refused POST writes nothing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { fuzzRuns, Tally } from '../support/summary.ts';
import { scratchDir } from '../reliability/scratch-dir.ts';
import { hostileString, listing, malformedText, mutatedEvent } from './hostile.ts';

const test = suite('fuzzed HTTP requests');
const tally = new Tally();
const RUNS = fuzzRuns();
const BODY_LIMIT = 16 * 1024;
const TYPED = new Set([400, 404, 409, 413, 414, 415, 422]);

const jsonText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '{}'; // a bigint: not expressible in a body anyway
  }
};

const body = () => fc.oneof(
  mutatedEvent().map(jsonText),
  fc.array(mutatedEvent(), { maxLength: 4 }).map(jsonText),
  fc.array(mutatedEvent(), { maxLength: 4 }).map((events) => events.map(jsonText).join('\n')),
  malformedText(),
  fc.nat({ max: 40_000 }).map((n) => `"${'x'.repeat(n)}"`),
);
const contentType = () => fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/x-ndjson', 'text/plain', 'application/json; charset=utf-8'), weight: 6 },
  { arbitrary: fc.constantFrom('application/xml', 'multipart/form-data', '', 'application/json; charset=utf-16'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
);

const encodable = (text: string): boolean => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

// On tmpfs where there is one: the accepted bodies would otherwise wait on fsyncs, which this file does not test.
test(`POST /events: ${RUNS} hostile bodies and content types get 201 or a typed 4xx, and refusals write nothing`, async () => {
  const dataDir = scratchDir('eventlake-http-');
  const local = await openLocalEventlake({ dataDir });
  const app = buildServer(local, { bodyLimit: BODY_LIMIT });
  const statuses = new Map<number, number>();
  let crashes = 0;
  let partialWrites = 0;
  // The data dir as the last case left it when that case was refused and wrote nothing, so its listing after is this
  // case's listing before; any other case (201, a failure, a throw) leaves it unset and the next case lists afresh.
  // A listing of a data dir of hundreds of events is this test's main cost: this saves nine in ten of the befores.
  let unchanged: string[] | undefined;
  try {
    await fc.assert(fc.asyncProperty(body(), contentType(), async (payload, type) => {
      const before = unchanged ?? listing(dataDir);
      unchanged = undefined;
      const headers = /^[\t\x20-\x7e]*$/.test(type) ? { 'content-type': type } : {};
      const res = await app.inject({ method: 'POST', url: '/events', payload, headers });
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      if (res.statusCode === 201) return;
      if (!TYPED.has(res.statusCode)) crashes++;
      const after = listing(dataDir);
      if (after.join('\n') !== before.join('\n')) partialWrites++;
      assert.ok(TYPED.has(res.statusCode), `status ${res.statusCode}: ${res.body.slice(0, 300)}`);
      assert.ok(typeof (JSON.parse(res.body) as { message?: unknown }).message === 'string', 'an error body with a message');
      assert.equal(after, before, 'a refused request changed the data dir');
      unchanged = after;
    }), { numRuns: RUNS });
  } finally {
    await app.close();
    await local.close();
  }
  tally.add('fuzz HTTP POST /events', { cases: RUNS, ...Object.fromEntries([...statuses].sort().map(([s, n]) => [`status ${s}`, n])), crashes, 'partial writes': partialWrites });
  assert.is(crashes + partialWrites, 0);
});

test(`GET /events and /balances: ${RUNS} hostile query strings and paths get 200/404 or a typed 4xx`, async () => {
  const local = await openLocalEventlake({ dataDir: scratchDir('eventlake-http-') });
  const app = buildServer(local);
  let crashes = 0;
  try {
    await local.lake.emit(Object.values((await import('../support/samples.ts')).SAMPLES));
    const rows = await local.index.count();
    await fc.assert(fc.asyncProperty(fc.dictionary(fc.constantFrom('since', 'until', 'type', 'account', 'x'), fc.oneof(hostileString(), fc.array(hostileString(), { maxLength: 3 }))), hostileString(), async (query, account) => {
      const list = await app.inject({ method: 'GET', url: '/events', query: query as Record<string, string | string[]> });
      const path = encodable(account) ? encodeURIComponent(account) : '%ED%A0%80'; // a lone surrogate, as raw bytes
      const one = await app.inject({ method: 'GET', url: `/balances/${path}` });
      for (const res of [list, one]) {
        if (res.statusCode >= 500) crashes++;
        assert.ok(res.statusCode === 200 || TYPED.has(res.statusCode), `status ${res.statusCode}: ${res.body.slice(0, 300)}`);
      }
      if (list.statusCode === 200) {
        const events = (JSON.parse(list.body) as { events: { accounts: string[] }[] }).events;
        const accounts = [query['account'] ?? []].flat();
        if (accounts.length > 0) assert.ok(events.every((e) => e.accounts.some((a) => accounts.includes(a))), 'an account filter returned other accounts');
      }
    }), { numRuns: RUNS });
    assert.is(await local.index.count(), rows, 'queries changed the index');
  } finally {
    await app.close();
    await local.close();
  }
  tally.add('fuzz HTTP queries', { cases: RUNS, crashes });
  assert.is(crashes, 0);
});

test.run();
