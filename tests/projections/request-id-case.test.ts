// A RequestId is a UUID, which compares case-insensitively: the same event sent in upper and in lower case is one event.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { prepareEvents } from '../../projections/eventlake.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('RequestId case');
const deposit = SAMPLES['cash_deposit']! as Record<string, unknown>;
const upper = { ...deposit, RequestId: String(deposit['RequestId']).toUpperCase() };

test('a RequestId sent in upper case is stored in its canonical lower-case form', () => {
  const [event] = prepareEvents(SchemaRegistry.load(), [upper]);
  assert.is(event!.RequestId, String(deposit['RequestId']).toLowerCase());
});

test('the same deposit sent in upper case and then in lower case is stored once and counted once', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  try {
    const [first] = await local.lake.emit(upper);
    const [second] = await local.lake.emit(deposit);
    assert.equal([first!.status, second!.status, first!.id], ['stored', 'duplicate', second!.id]);
    assert.is(await local.index.count(), 1);
    assert.is(await local.lake.balance(String(deposit['TargetAccount'])), String(deposit['Amount']));
  } finally {
    await local.close();
  }
});

test.run();
