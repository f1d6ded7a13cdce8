// Limits: an event above MAX_EVENT_BYTES is refused with the limit named (facade, HTTP, CLI); a request body above
// the server's limit is a 413; timestamps out of range (negative, after 2100, far future, not whole numbers, not
// numbers) are refused with the field named, and every timestamp in range is accepted.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { BatchRejectedError, EventTooLargeError, SchemaValidationError } from '../../domain/errors.ts';
import { serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { MAX_EVENT_BYTES, SchemaRegistry } from '../../schemas/registry.ts';
import { rejects } from '../support/async.ts';
import { SAMPLES } from '../support/samples.ts';
import { fuzzRuns, Tally } from '../support/summary.ts';
import { tempDir } from '../support/tmp.ts';
import { runCli } from './cli-run.ts';
import { listing } from './hostile.ts';

const test = suite('size and time limits');
const tally = new Tally();
const RUNS = fuzzRuns();
const SCHEMAS = fileURLToPath(new URL('./fixtures/schemas', import.meta.url));
const MAX_TS = 4_102_444_800;

/** A big_note whose canonical form is exactly `bytes` long. */
function noteOf(bytes: number): DomainEvent {
  const base = { EventType: 'big_note', SchemaVersion: 1, RequestId: '7a1c2a9e-8b7d-4c6e-9f00-1a2b3c4d5e6f', EventTimeStamp: 1_700_000_000, Note: '' };
  return { ...base, Note: 'n'.repeat(bytes - serializeEvent(base).length) };
}

test('an event of exactly the limit is accepted; one byte more is refused with the size and the limit named, nothing written', async () => {
  const dataDir = tempDir('eventlake-limits-');
  const local = await openLocalEventlake({ dataDir, schemaFolders: [SCHEMAS] });
  try {
    const before = listing(dataDir);
    const error = await rejects(() => local.lake.emit(noteOf(MAX_EVENT_BYTES + 1)), BatchRejectedError);
    const cause = error.failures[0]!.error;
    assert.instance(cause, EventTooLargeError);
    assert.is((cause as EventTooLargeError).limit, MAX_EVENT_BYTES);
    assert.match(cause.message, `is ${MAX_EVENT_BYTES + 1} bytes; the limit is ${MAX_EVENT_BYTES} bytes`);
    assert.equal(listing(dataDir), before);
    assert.is((await local.lake.emit(noteOf(MAX_EVENT_BYTES)))[0]!.status, 'stored');
  } finally {
    await local.close();
  }
});

test('HTTP: an oversized event is a 400 naming the limit; a body above the server limit is a 413', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-limits-'), schemaFolders: [SCHEMAS] });
  const app = buildServer(local, { bodyLimit: 256 * 1024 });
  try {
    const big = await app.inject({ method: 'POST', url: '/events', payload: noteOf(MAX_EVENT_BYTES + 100) });
    assert.is(big.statusCode, 400);
    const body = JSON.parse(big.body) as { failures: { code: string; message: string }[] };
    assert.is(body.failures[0]!.code, 'EVENT_TOO_LARGE');
    assert.match(body.failures[0]!.message, `the limit is ${MAX_EVENT_BYTES} bytes`);
    const huge = await app.inject({ method: 'POST', url: '/events', payload: noteOf(300 * 1024) });
    assert.is(huge.statusCode, 413);
    const refused = JSON.parse(huge.body) as { error: string; message: string };
    assert.is(refused.error, 'BODY_TOO_LARGE');
    assert.match(refused.message, String(256 * 1024));
  } finally {
    await app.close();
    await local.close();
  }
});

test('CLI: emit of an oversized event exits 1 and names the limit on stderr', async () => {
  const dir = tempDir('eventlake-limits-');
  const file = join(dir, 'big.json');
  writeFileSync(file, JSON.stringify(noteOf(MAX_EVENT_BYTES * 2)));
  const run = await runCli(['--data-dir', join(dir, 'data'), '--schemas', SCHEMAS, 'emit', file]);
  assert.is(run.code, 1);
  assert.match(run.stderr, `the limit is ${MAX_EVENT_BYTES} bytes`);
  assert.not.match(run.stderr, 'nnnnnnnn', 'the payload is not echoed');
});

// fc.integer stops at 32 bits; epoch seconds after 2038 need bigints turned into numbers.
const between = (min: number, max: number) => fc.bigInt({ min: BigInt(min), max: BigInt(max) }).map(Number);
const outOfRange = () => fc.oneof(
  fc.integer({ max: -1 }), between(MAX_TS + 1, Number.MAX_SAFE_INTEGER), fc.double({ noInteger: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, 2 ** 53, 1e21, '1700000000', null, true, [1700000000], { $date: 1 }),
  fc.string(), fc.bigInt(),
);

test(`timestamps: ${RUNS} out-of-range values are refused on /EventTimeStamp; ${RUNS} in-range ones accepted`, () => {
  const now = 1_800_000_000;
  const registry = SchemaRegistry.load({ now: () => now });
  let refused = 0;
  let accepted = 0;
  let wronglyAccepted = 0;
  fc.assert(fc.property(fc.oneof(outOfRange(), between(now + 86_401, MAX_TS)), (ts) => {
    try {
      registry.validate({ ...SAMPLES['incoming_payment'], EventTimeStamp: ts });
      wronglyAccepted++;
      assert.unreachable(`accepted ${String(ts)}`);
    } catch (error) {
      assert.instance(error, SchemaValidationError, String(error));
      assert.ok((error as SchemaValidationError).issues.some((i) => i.pointer === '/EventTimeStamp'));
      refused++;
    }
  }), { numRuns: RUNS });
  fc.assert(fc.property(between(0, now + 86_400), (ts) => {
    registry.validate({ ...SAMPLES['incoming_payment'], EventTimeStamp: ts });
    accepted++;
  }), { numRuns: RUNS });
  tally.add('timestamp limits', { cases: refused + accepted, refused, accepted, 'wrongly accepted': wronglyAccepted });
  assert.is(wronglyAccepted, 0);
});

test.run();
