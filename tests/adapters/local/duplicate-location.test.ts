// A duplicate answers where the event is stored, and the event is readable there when the answer comes: also when
// the append that journaled it failed (or its process died) after its journal fsync, before creating its objects.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { rejects } from '../../support/async.ts';
import { variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';

const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

class InjectedFailure extends Error {}

const test = suite('duplicate location');

test('a duplicate of an event whose append failed after its journal fsync is readable at the location it answers', async () => {
  let fail = true;
  const log = await FsEventLog.open(tempDir(), {
    checkpointEvery: 0,
    afterJournal: () => {
      if (fail) throw new InjectedFailure('the append fails after its journal fsync, before its objects');
    },
  });
  try {
    await rejects(() => log.append([depositNo(0), depositNo(1)]), InjectedFailure);
    fail = false;
    const [again] = await log.append([depositNo(1)]); // the client retries: the journal holds it, so a duplicate
    assert.is(again!.status, 'duplicate');
    assert.is(serializeEvent(await log.read(again!.location)), serializeEvent(depositNo(1)));
  } finally {
    await log.close();
  }
});

test.run();
