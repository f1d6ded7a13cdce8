// openLocalEventlake's and openReadOnlyLocalEventlake's options as an API user passes them: a misspelt key or a value
// of the wrong type is refused with InvalidArgumentError naming it, before anything is written, never ignored.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, type Projection } from 'eventlake';
import { openLocalEventlake, openReadOnlyLocalEventlake } from 'eventlake/local';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('api: the local openers refuse unknown options and wrong types');

/** The refusal of opening with `options` (cast: JavaScript callers and `as any` pass anything), and whether it wrote. */
async function refusal(options: unknown, open = openLocalEventlake): Promise<{ error: InvalidArgumentError; wrote: boolean }> {
  const dataDir = join(tempDir('eventlake-api-'), 'lake');
  const given = options !== null && typeof options === 'object' && !Array.isArray(options) ? { dataDir, ...options } : options;
  const error = await rejects(() => open(given as Parameters<typeof openLocalEventlake>[0]), InvalidArgumentError);
  return { error, wrote: existsSync(dataDir) };
}

test('a misspelt option (schemaFolder) is refused naming it, the option meant and the known ones; nothing is written', async () => {
  const { error, wrote } = await refusal({ schemaFolder: ['./my-schemas'] });
  assert.is(error.argument, 'schemaFolder');
  assert.match(error.message, 'unknown key in the options of openLocalEventlake (did you mean schemaFolders?)');
  assert.match(error.message, /known keys: dataDir, schemaFolders, .*dispatch/);
  assert.is(wrote, false);
});

test('an option like none known is refused naming it, without a guess', async () => {
  const { error } = await refusal({ bogus: 1 });
  assert.is(error.argument, 'bogus');
  assert.not.match(error.message, 'did you mean');
});

test('a misspelt dispatch option is refused with its path (dispatch.maxAttempt)', async () => {
  const { error } = await refusal({ dispatch: { maxAttempt: 2 } });
  assert.is(error.argument, 'dispatch.maxAttempt');
  assert.match(error.message, '(did you mean dispatch.maxAttempts?); known keys: maxAttempts, baseDelayMs, maxDelayMs');
});

test('no options at all are refused as a missing dataDir, not a TypeError', async () => {
  const error = await rejects(() => openLocalEventlake(undefined as never), InvalidArgumentError);
  assert.is(error.argument, 'dataDir');
  assert.match(error.message, 'is missing');
});

test('options that are no object (a path given as a string) are refused naming the options', async () => {
  const { error } = await refusal('./.eventlake');
  assert.is(error.argument, 'options');
  assert.match(error.message, 'openLocalEventlake takes an options object such as { dataDir: \'./.eventlake\' }, got a string');
});

test('schemaFolders given as one string is refused as such, not read one character at a time', async () => {
  const { error, wrote } = await refusal({ schemaFolders: './my-schemas' });
  assert.is(error.argument, 'schemaFolders');
  assert.match(error.message, 'expected an array of folder paths, got a string: give ["./my-schemas"]');
  assert.is(wrote, false);
});

test('a number given as a string (restoreDelayMs: "100") is refused naming the option and the value', async () => {
  const { error } = await refusal({ restoreDelayMs: '100' });
  assert.is(error.argument, 'restoreDelayMs');
  assert.match(error.message, 'expected a number of milliseconds >= 0, got a string ("100")');
});

test('a negative restoreDelayMs and a dispatch.maxAttempts of 0 are refused, not ignored', async () => {
  assert.is((await refusal({ restoreDelayMs: -5 })).error.argument, 'restoreDelayMs');
  const { error } = await refusal({ dispatch: { maxAttempts: 0 } });
  assert.is(error.argument, 'dispatch.maxAttempts');
  assert.match(error.message, 'expected a whole number >= 1, got a number (0)');
});

test('functions, arrays and objects of the wrong kind are refused naming the option', async () => {
  for (const [key, value] of [['now', 1714000000], ['projections', {}], ['balanceRules', []], ['dispatch', 5]] as const) {
    assert.is((await refusal({ [key]: value })).error.argument, key);
  }
});

test('openReadOnlyLocalEventlake refuses an unknown option in either argument the same way', async () => {
  const { error } = await refusal({ schemaFolder: [] }, openReadOnlyLocalEventlake);
  assert.match(error.message, 'schemaFolder: unknown key in the options of openReadOnlyLocalEventlake (did you mean schemaFolders?)');
  const dataDir = tempDir('eventlake-api-');
  const extra = await rejects(() => openReadOnlyLocalEventlake({ dataDir }, { refusl: () => new Error('x') } as never), InvalidArgumentError);
  assert.is(extra.argument, 'refusl');
  assert.match(extra.message, '(did you mean refusal?)');
});

/** Always fails for every event: each one is attempted `maxAttempts` times, sleeping the backoff in between. */
const failing: Projection = { name: 'failing', version: 1, handles: () => true, related: () => [], decide: () => { throw new RangeError('always'); } };
const deposit = { EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000, TargetAccount: 'DE44-5001-0517', Amount: '10.00', LocationType: 'ATM', Currency: { '10-euro-bills': 1 }, Verified: false };

test('dispatch.maxDelayMs alone caps the backoff (it was ignored without baseDelayMs)', async () => {
  const dataDir = join(tempDir('eventlake-api-'), 'lake');
  mkdirSync(dataDir);
  // Eight attempts sleep 50+100+200+400+800+1600+2000 ms by default, jittered down by half at most: at least 2,575 ms,
  // far from the bound below even on a loaded machine.
  const local = await openLocalEventlake({ dataDir, projections: [failing], dispatch: { maxAttempts: 8, maxDelayMs: 0 }, onCatchUpError: () => undefined });
  try {
    const started = performance.now();
    await local.lake.emit(deposit);
    const elapsed = performance.now() - started;
    assert.is((await local.deadLetters.list()).length, 1, 'the event was dead-lettered after its attempts');
    assert.ok(elapsed < 1500, `dispatch slept the default backoff (${Math.round(elapsed)} ms)`);
  } finally {
    await local.close();
  }
});

test.run();
