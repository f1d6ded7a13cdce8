// Fuzzing the ways events come in: the registry's validate, the emit facade on a real data dir, and the CLI's
// input parser. Every rejection is a typed EventlakeError (never a crash), and a rejected input writes nothing.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { parseEventsText } from '../../cli/input.ts';
import { EventlakeError, InvalidArgumentError } from '../../domain/errors.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';
import { fuzzRuns, Tally } from '../support/summary.ts';
import { scratchDir } from '../reliability/scratch-dir.ts';
import { anyValue, listing, malformedText, mutatedEvent } from './hostile.ts';

const test = suite('fuzzed input to validate, emit and the CLI parser');
const tally = new Tally();
const RUNS = fuzzRuns();

const inputs = () => fc.oneof(mutatedEvent(), anyValue(), fc.array(fc.oneof(mutatedEvent(), anyValue()), { maxLength: 5 }));

test(`validate: ${RUNS} arbitrary values and mutated events give an event or a typed error, nothing else`, () => {
  const registry = SchemaRegistry.load();
  let crashes = 0;
  let accepted = 0;
  fc.assert(fc.property(fc.oneof(mutatedEvent(), anyValue()), (input) => {
    try {
      registry.validate(input);
      accepted++;
    } catch (error) {
      if (!(error instanceof EventlakeError)) {
        crashes++;
        throw error;
      }
    }
  }), { numRuns: RUNS });
  tally.add('fuzz validate', { cases: RUNS, accepted, crashes });
  assert.is(crashes, 0);
});

// On tmpfs where there is one: the accepted inputs would otherwise wait on fsyncs, which this file does not test.
test(`emit: ${RUNS} hostile inputs on a real data dir are rejected with typed errors and write nothing`, async () => {
  const dataDir = scratchDir('eventlake-fuzz-');
  const local = await openLocalEventlake({ dataDir });
  let crashes = 0;
  let partialWrites = 0;
  let accepted = 0;
  try {
    await fc.assert(fc.asyncProperty(inputs(), async (input) => {
      const before = listing(dataDir);
      try {
        await local.lake.emit(input);
        accepted++;
      } catch (error) {
        if (!(error instanceof EventlakeError)) crashes++;
        const after = listing(dataDir); // once: a listing of a data dir of hundreds of events is this test's main cost
        if (after.join('\n') !== before.join('\n')) partialWrites++;
        assert.instance(error, EventlakeError, `not a typed error: ${String(error)}`);
        assert.equal(after, before, 'a rejected input changed the data dir');
      }
    }), { numRuns: RUNS });
  } finally {
    await local.close();
  }
  tally.add('fuzz emit', { cases: RUNS, accepted, crashes, 'partial writes': partialWrites });
  assert.is(crashes + partialWrites, 0);
});

test('odd JavaScript values (bigint, cycles, Dates, toJSON) are rejected by validate with typed errors', () => {
  const registry = SchemaRegistry.load();
  const cyclic: Record<string, unknown> = { ...SAMPLES['cash_deposit'], Currency: { '100-euro-bills': 1 } };
  (cyclic['Currency'] as Record<string, unknown>)['self'] = cyclic;
  const odd = [{ EventTimeStamp: 1234567890n }, { Extra: 1n }, { EventTimeStamp: new Date() }, { toJSON: () => ({}) }, { Amount: { toString: () => '1.00' } }];
  for (const input of [cyclic, ...odd.map((o) => ({ ...SAMPLES['cash_deposit'], ...o }))]) {
    try {
      registry.validate(input);
      assert.unreachable('accepted');
    } catch (error) {
      assert.instance(error, EventlakeError);
    }
  }
});

test(`CLI parser: ${RUNS} malformed texts parse or fail with InvalidArgumentError; what parses validates to typed errors`, async () => {
  const local = await openLocalEventlake({ dataDir: scratchDir('eventlake-fuzz-') });
  let crashes = 0;
  try {
    fc.assert(fc.property(malformedText(), (text) => {
      let parsed: unknown[];
      try {
        parsed = parseEventsText(text);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) crashes++;
        assert.instance(error, InvalidArgumentError);
        return;
      }
      assert.ok(Array.isArray(parsed));
      try {
        local.lake.prepare(parsed);
      } catch (error) {
        if (!(error instanceof EventlakeError)) crashes++;
        assert.instance(error, EventlakeError);
      }
    }), { numRuns: RUNS });
  } finally {
    await local.close();
  }
  tally.add('fuzz CLI parser', { cases: RUNS, crashes });
  assert.is(crashes, 0);
});

test.run();
