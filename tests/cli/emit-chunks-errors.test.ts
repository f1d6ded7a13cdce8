// appendInChunks when a chunk fails with something other than a conflict (a full disk, say): the error is told as it
// came, after a line naming the events the chunks before it stored; a first chunk's error needs no such line.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { appendInChunks } from '../../cli/emit-chunks.ts';
import { StorageFullError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import type { EmitResult } from '../../projections/eventlake.ts';
import { SAMPLES, variant } from '../support/samples.ts';

const test = suite('appendInChunks: a failing chunk that is no conflict');

const events = [1, 2, 3, 4, 5].map((n) => variant('incoming_payment', { RequestId: `0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d4${n}` }) as DomainEvent);

/** A lake whose `failAt`-th append (from 0) throws `error`; the chunks it was given. */
function lake(failAt: number, error: Error) {
  const chunks: DomainEvent[][] = [];
  return {
    chunks,
    lake: {
      append: async (chunk: readonly DomainEvent[]): Promise<EmitResult[]> => {
        if (chunks.length === failAt) throw error;
        chunks.push([...chunk]);
        return chunk.map((e) => ({ id: `${e.EventType}_${e.RequestId}`, key: 'k', status: 'stored' as const }));
      },
    },
    index: { get: async () => undefined },
    log: { read: async () => SAMPLES['incoming_payment']! },
  };
}

test('a later chunk\'s error comes after a line naming the events stored before it, and is the error thrown', async () => {
  const full = new StorageFullError('/tmp/x', 'the disk is full: free some space');
  const fake = lake(1, full);
  const notes: string[] = [];
  const printed: number[] = [];
  const thrown = await appendInChunks(fake, events, 2, { printed: (r) => printed.push(r.length), note: (t) => notes.push(t) }).catch((e: unknown) => e);
  assert.is(thrown, full);
  assert.equal(printed, [2]);
  assert.equal(notes, ['eventlake: events #0 to #1 of this input were stored before the error below (a long input is appended a chunk ' +
    'at a time, see --chunk-size); nothing from #2 on was, and sending the input again answers duplicate for the stored ones\n']);
});

test('the first chunk\'s error is thrown with no such line', async () => {
  const boom = new Error('boom');
  const notes: string[] = [];
  const thrown = await appendInChunks(lake(0, boom), events, 2, { printed: () => undefined, note: (t) => notes.push(t) }).catch((e: unknown) => e);
  assert.is(thrown, boom);
  assert.equal(notes, []);
});

test('every chunk stored: each printed in order, and the count of results returned', async () => {
  const fake = lake(-1, new Error('never'));
  const printed: string[][] = [];
  const n = await appendInChunks(fake, events, 2, { printed: (r) => printed.push(r.map((x) => x.id)), note: () => assert.unreachable('no note') });
  assert.is(n, 5);
  assert.equal(fake.chunks.map((c) => c.length), [2, 2, 1]);
  assert.equal(printed.flat(), events.map((e) => `${e.EventType}_${e.RequestId}`));
});

test.run();
