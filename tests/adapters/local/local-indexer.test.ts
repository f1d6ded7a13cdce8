// LocalIndexer: the index catches up with the log's journal, exactly once per event, across crashes.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accountsOf, eventId, serializeEvent, type DomainEvent } from '../../../domain/event.ts';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { dataDirLayout } from '../../../adapters/local/layout.ts';
import { LocalIndexer } from '../../../adapters/local/local-indexer.ts';
import { eventDigest } from '../../../projections/event-digest.ts';
import { SqliteEventIndex } from '../../../adapters/local/sqlite-event-index.ts';
import { SAMPLES, variant } from '../../support/samples.ts';
import { tempDir } from '../../support/tmp.ts';
import { startChild } from './fixtures/children.ts';

const samples = Object.values(SAMPLES);
const depositNo = (n: number) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` }) as DomainEvent;

async function open(dir: string, batch?: number) {
  const log = await FsEventLog.open(dir);
  const index = new SqliteEventIndex(dataDirLayout(dir).indexDb);
  return { log, index, indexer: new LocalIndexer({ log, index, ...(batch ? { batch } : {}) }) };
}

const test = suite('LocalIndexer');

test('catch-up indexes every appended event with its type, time, accounts, location, size and content digest', async () => {
  const { log, index, indexer } = await open(tempDir());
  const results = await log.append(samples);
  const report = await indexer.catchUp();
  assert.equal(report, { indexed: samples.length, offset: await log.journalEnd() });
  const cash = await index.get(eventId(SAMPLES['inter_account_transfer']!));
  const transfer = SAMPLES['inter_account_transfer']!;
  assert.equal({ ...cash!, position: 0 }, {
    id: eventId(transfer), type: 'inter_account_transfer', timestamp: transfer.EventTimeStamp, accounts: accountsOf(transfer),
    location: results.find((r) => r.id === eventId(transfer))!.location, size: Buffer.byteLength(serializeEvent(transfer)) + 1, storageClass: 'STANDARD', restore: 'NONE', position: 0,
    digest: eventDigest(transfer),
  });
  assert.equal((await index.afterPosition(0, 100)).entries.map((e) => e.id), samples.map(eventId)); // input order
});

test('a second catch-up with nothing new indexes nothing', async () => {
  const { log, indexer } = await open(tempDir());
  await log.append(samples);
  await indexer.catchUp();
  assert.is((await indexer.catchUp()).indexed, 0);
});

test('positions follow the order the log journaled the events, across pages', async () => {
  const { log, index, indexer } = await open(tempDir(), 4);
  const events = Array.from({ length: 10 }, (_, i) => depositNo(9 - i));
  for (const e of events) await log.append([e]);
  await indexer.catchUp();
  const page = await index.afterPosition(0, 100);
  assert.equal(page.entries.map((e) => e.id), events.map(eventId));
});

test('the journal offset is stored with the entries: reopening continues where it stopped', async () => {
  const dir = tempDir();
  const first = await open(dir);
  await first.log.append([depositNo(1)]);
  await first.indexer.catchUp();
  first.index.close();
  const second = await open(dir);
  await second.log.append([depositNo(2)]);
  assert.equal(await second.indexer.catchUp(), { indexed: 1, offset: await second.log.journalEnd() });
  assert.is(await second.index.count(), 2);
});

test('a failed index commit leaves entries and offset unchanged, and the next catch-up indexes everything once', async () => {
  const { log, index } = await open(tempDir());
  await log.append(samples);
  let fail = true;
  const flaky = {
    put: index.put.bind(index),
    cursor: index.cursor.bind(index),
    putWithCursor: async (...args: Parameters<SqliteEventIndex['putWithCursor']>) => {
      if (fail) throw new Error('disk full');
      return index.putWithCursor(...args);
    },
  };
  let failed = false;
  await new LocalIndexer({ log, index: flaky }).catchUp().catch(() => (failed = true));
  assert.ok(failed);
  assert.is(await index.count(), 0);
  fail = false;
  assert.is((await new LocalIndexer({ log, index: flaky }).catchUp()).indexed, samples.length);
  assert.is(await index.count(), samples.length);
});

test('an event appended just before the process is killed is indexed on the next start', async () => {
  const dir = tempDir();
  const file = join(dir, 'events.json');
  writeFileSync(file, JSON.stringify(samples));
  const child = startChild('append-then-hang.ts', [join(dir, 'data'), file]);
  await child.ready;
  child.process.kill('SIGKILL');
  await child.done;
  const { index, indexer } = await open(join(dir, 'data'));
  await indexer.catchUp();
  assert.equal((await index.afterPosition(0, 100)).entries.map((e) => e.id), samples.map(eventId));
});

test('concurrent catch-ups in one process share one run', async () => {
  const { log, index, indexer } = await open(tempDir());
  await log.append(samples);
  const [a, b] = await Promise.all([indexer.catchUp(), indexer.catchUp()]);
  assert.equal(a, b);
  assert.is(await index.count(), samples.length);
});

test.run();
