// One append holding the same identity twice with different content: refused before anything is written, and the
// error says the conflict is inside the input (naming both positions), not that the event "already exists" at a key
// where nothing is stored.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { gatherBatch } from '../../../adapters/local/batch-plan.ts';
import { EventConflictError } from '../../../domain/errors.ts';
import { eventId, type DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('FsEventLog: a conflict within one append');

const deposit = SAMPLES['cash_deposit']!;
const changed = variant('cash_deposit', { Amount: '1.00' }) as DomainEvent;
const withdrawal = SAMPLES['cash_withdrawal']!;

test('the error names the identity, both input positions, and says nothing was stored', () => {
  const error = (() => {
    try {
      gatherBatch([deposit, withdrawal, changed]);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.ok(error instanceof EventConflictError, String(error));
  assert.is(error.code, 'EVENT_CONFLICT');
  assert.is(error.eventId, eventId(deposit));
  assert.equal(error.positions, [0, 2]);
  assert.is(error.message, `event ${eventId(deposit)} appears twice in this input with different content (#0 and #2), so nothing was stored: ` +
    'an identity (EventType + RequestId) names one immutable event, so send one version of it, or give the other event a new RequestId');
});

test('the message does not claim the event already exists anywhere', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    const error = await rejects(() => log.append([deposit, changed]), EventConflictError);
    assert.not.match(error.message, 'already exists');
    assert.match(error.message, '(#0 and #1)');
  } finally {
    await log.close();
  }
});

test('nothing of the input is stored: the event appended afterwards is new, not a duplicate', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    await rejects(() => log.append([withdrawal, deposit, changed]), EventConflictError);
    const results = await log.append([withdrawal, changed]);
    assert.equal(results.map((r) => r.status), ['stored', 'stored']);
  } finally {
    await log.close();
  }
});

test('a conflict with a stored event still says where it is stored', async () => {
  const log = await FsEventLog.open(tempDir(), { checkpointEvery: 0 });
  try {
    const [stored] = await log.append([deposit]);
    const error = await rejects(() => log.append([changed]), EventConflictError);
    assert.is(error.positions, undefined);
    assert.match(error.message, `already exists at ${stored!.key}`);
  } finally {
    await log.close();
  }
});

test.run();
