// Identities, types, keys and names that try to leave the data directory (../, /, NUL, very long) are refused
// before any file is touched: by the registry on emit and over HTTP, and again by every local adapter that maps a
// name to a path (defence in depth: the adapters are public API too).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FsEventLog } from '../../adapters/local/fs-event-log.ts';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { BatchRejectedError, EventlakeError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { SAMPLES } from '../support/samples.ts';
import { fuzzRuns, Tally } from '../support/summary.ts';
import { scratchDir } from '../reliability/scratch-dir.ts';
import { HOSTILE_STRINGS, hostileString, listing } from './hostile.ts';

const test = suite('path traversal');
const tally = new Tally();
const RUNS = fuzzRuns();
const TRAVERSALS = [...HOSTILE_STRINGS, '../'.repeat(40), `${'a'.repeat(64)}/../../..`, 'x'.repeat(5000), 'events/year=2024/../../../x'];
const KEYS = [...TRAVERSALS, 'events/../../outside', 'events/year=2024/.hidden', 'events//x', '/abs/events/x', `events/${'a'.repeat(300)}.event`];

/**
 * A data dir inside its own parent, so a file written next to it (an escape) shows in the parent's listing. On tmpfs
 * where there is one: ten thousand appends would otherwise wait on ten thousand fsyncs, which this file does not test.
 */
function sandbox(): { root: string; dataDir: string } {
  const root = scratchDir('eventlake-traversal-');
  return { root, dataDir: join(root, 'data') };
}

const withField = (field: string, value: unknown) => ({ ...SAMPLES['cash_deposit'], [field]: value });

test(`emit: hostile EventType, RequestId and EventTimeStamp (${TRAVERSALS.length} listed + ${RUNS} fuzzed) are refused before any file is written`, async () => {
  const { root, dataDir } = sandbox();
  const local = await openLocalEventlake({ dataDir });
  const before = listing(root);
  let refused = 0;
  let escaped = 0;
  const attempt = async (input: unknown) => {
    try {
      await local.lake.emit(input);
      assert.unreachable(`accepted ${JSON.stringify(input).slice(0, 200)}`);
    } catch (error) {
      assert.instance(error, BatchRejectedError);
      refused++;
    }
    if (listing(root).join('\n') !== before.join('\n')) escaped++;
  };
  try {
    for (const hostile of TRAVERSALS) for (const field of ['EventType', 'RequestId']) await attempt(withField(field, hostile));
    await fc.assert(fc.asyncProperty(fc.constantFrom('EventType', 'RequestId', 'EventTimeStamp'), hostileString(), async (field, hostile) => attempt(withField(field, hostile))), { numRuns: RUNS });
  } finally {
    await local.close();
  }
  tally.add('path traversal (emit)', { cases: refused, 'files outside or written': escaped });
  assert.is(escaped, 0);
});

test('HTTP: a traversal in an identity is a 400 that names the field, and writes nothing', async () => {
  const { root, dataDir } = sandbox();
  const local = await openLocalEventlake({ dataDir });
  const app = buildServer(local);
  const before = listing(root);
  try {
    for (const [field, value] of [['EventType', '../../etc'], ['RequestId', '../../../tmp/x'], ['RequestId', 'a\u0000b']] as const) {
      const res = await app.inject({ method: 'POST', url: '/events', payload: withField(field, value) });
      assert.is(res.statusCode, 400);
      assert.match(res.body, field === 'EventType' ? '/EventType' : '/RequestId');
    }
    assert.equal(listing(root), before); // before close: closing checkpoints the SQLite WALs
  } finally {
    await app.close();
    await local.close();
  }
});

test('FsEventLog (without the registry): hostile keys are refused by read, readObject, list, writeSegment and remove', async () => {
  const { root, dataDir } = sandbox();
  const log = await FsEventLog.open(dataDir);
  mkdirSync(join(root, 'outside'));
  writeFileSync(join(root, 'outside', 'secret.event'), '{"EventType":"secret"}\n');
  const before = listing(root);
  let refused = 0;
  try {
    for (const key of KEYS) {
      const calls: (() => Promise<unknown>)[] = [
        () => log.read({ key }), () => log.read({ key, offset: 0, length: 10 }),
        async () => { for await (const _ of log.readObject(key)); },
        async () => { for await (const _ of log.list(key)); },
        () => log.writeSegment(key, ['{}']), () => log.remove([key]),
      ];
      for (const call of calls) {
        try {
          await call();
        } catch (error) {
          assert.instance(error, EventlakeError, `${JSON.stringify(key)}: ${String(error)}`);
          refused++;
          continue;
        }
        assert.ok(key === 'events//x' || !key.includes('..'), `a call with ${JSON.stringify(key)} succeeded`);
      }
    }
  } finally {
    await log.close();
  }
  tally.add('path traversal (log keys)', { cases: KEYS.length * 6, refused });
  assert.equal(listing(root).filter((l) => !l.includes(`${dataDir}/`)), before.filter((l) => !l.includes(`${dataDir}/`)), 'something outside the data dir changed');
});

test(`FsEventLog.append (without the registry): ${RUNS} hostile identities never write outside events/ and never brick the log`, async () => {
  const { root, dataDir } = sandbox();
  const log = await FsEventLog.open(dataDir);
  const inside = ['events', 'journal'].flatMap((d) => [`${join(dataDir, d)}/`, `${join(dataDir, d)}:`]);
  const outside = () => listing(root).filter((l) => !inside.some((prefix) => l.startsWith(prefix)) && !l.startsWith(`${dataDir}:`));
  const before = outside();
  let refused = 0;
  try {
    await fc.assert(fc.asyncProperty(hostileString(), hostileString(), async (type, requestId) => {
      try {
        await log.append([{ ...SAMPLES['cash_deposit'], EventType: type, RequestId: requestId } as DomainEvent]);
      } catch (error) {
        assert.instance(error, EventlakeError, String(error));
        refused++;
      }
    }), { numRuns: RUNS });
  } finally {
    await log.close();
  }
  const reopened = await FsEventLog.open(dataDir); // a journaled line that cannot be materialized would fail here
  await reopened.close();
  tally.add('path traversal (append without registry)', { cases: RUNS, refused, 'files outside events/': outside().length - before.length });
  assert.equal(outside(), before);
});

test.run();
