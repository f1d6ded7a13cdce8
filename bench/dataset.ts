// The benchmark data dir: N events as an aged log — compacted segments (the oldest half archived) and a hot window of
// batch objects — indexed, built directly on disk so that building 1M events does not dominate the run.
//
// Layout in time (fractions of the span):  0 ── archived segments ── 0.5 ── hot segments ── 0.8 ── "compacted"
// window ── 0.9 ── "not compacted" window of batch objects ── 1. Files are written in the exact layout and bytes
// FsEventLog and the compactor produce (segment lines sorted by (EventTimeStamp, id); batch objects of HOT_BATCH
// events in arrival order, as emits of HOT_BATCH write them), and indexed through SqliteEventIndex.put in time order,
// so positions grow with time; archiving goes through FsArchiveTier.transition.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { batchObjectKey } from '../domain/batch-objects.ts';
import { compareEvents, hourStart, partitionPrefix, segmentKey } from '../domain/event.ts';
import type { NewIndexEntry } from '../domain/ports/event-index.ts';
import { FsArchiveTier } from '../adapters/local/fs-archive-tier.ts';
import { dataDirLayout, hotPath } from '../adapters/local/layout.ts';
import { SqliteEventIndex } from '../adapters/local/sqlite-event-index.ts';
import { BENCH_START, eventSource, type EventSource, type SyntheticEvent } from './synthetic.ts';

/** A time window of the log and what it holds. */
export interface Window {
  /** Epoch seconds, inclusive. */
  readonly from: number;
  /** Epoch seconds, exclusive. */
  readonly to: number;
  readonly events: number;
  /** Object files holding them. */
  readonly objects: number;
  readonly keys: readonly string[];
  /** Index positions of the window's first and last events. */
  readonly firstPosition: number;
  readonly lastPosition: number;
}

export interface Dataset {
  readonly dir: string;
  readonly events: number;
  /** Mean line bytes of one event. */
  readonly eventBytes: number;
  readonly lastPosition: number;
  readonly archived: Window;
  readonly hotSegments: Window;
  readonly compacted: Window;
  readonly hot: Window;
  readonly buildMs: Readonly<Record<'files' | 'index' | 'archive', number>>;
  readonly source: EventSource;
}

type Part = 'archived' | 'hotSegments' | 'compacted' | 'hot';

/** Events per batch object in the "not compacted" window: what emits of 100 events write. */
export const HOT_BATCH = 100;
interface Tally { from: number; to: number; events: number; keys: string[]; firstPosition: number; lastPosition: number }

/** Build the data dir in `dir` (empty) with `events` events. */
export async function buildDataset(dir: string, events: number, source: EventSource = eventSource(Math.min(events, 25_000))): Promise<Dataset> {
  const layout = dataDirLayout(dir);
  const blocks = source.blocks(events);
  const span = (events / source.blockSize) * source.blockSpan;
  const cut = (f: number) => hourStart(BENCH_START + Math.floor(span * f));
  const bounds: [Part, number][] = [['archived', cut(0.5)], ['hotSegments', cut(0.8)], ['compacted', cut(0.9)], ['hot', Infinity]];
  const partOf = (hour: number): Part => bounds.find(([, end]) => hour < end)![0];
  const tallies = new Map<Part, Tally>(bounds.map(([p, end], i) => [p, { from: i === 0 ? BENCH_START : bounds[i - 1]![1], to: end, events: 0, keys: [], firstPosition: 0, lastPosition: 0 }]));
  const index = new SqliteEventIndex(layout.indexDb, { synchronous: 'NORMAL' });
  const ms = { files: 0, index: 0, archive: 0 };
  let buffered: { part: Part; entry: NewIndexEntry }[] = [];
  let lastPosition = 0;
  let sequence = 0;
  let bytes = 0;
  let count = 0;

  const putBuffered = async () => {
    const t0 = performance.now();
    const stored = await index.put(buffered.map((b) => b.entry));
    stored.forEach((e, i) => {
      const t = tallies.get(buffered[i]!.part)!;
      if (t.firstPosition === 0) t.firstPosition = e.position;
      t.lastPosition = e.position;
      lastPosition = e.position;
    });
    buffered = [];
    ms.index += performance.now() - t0;
  };

  const flushHour = async (hour: number, list: SyntheticEvent[]) => {
    const t0 = performance.now();
    const part = partOf(hour);
    const tally = tallies.get(part)!;
    const sorted = list.sort(compareEvents);
    const prefix = partitionPrefix(hour);
    const entry = (s: SyntheticEvent, location: NewIndexEntry['location'], size: number): NewIndexEntry =>
      ({ id: s.id, type: s.type, timestamp: s.timestamp, accounts: s.accounts, location, size, storageClass: 'STANDARD', restore: 'NONE' });
    // One NDJSON object of `lines` under `key`, and an index entry per line at its offset.
    const writeObject = (key: string, lines: readonly SyntheticEvent[]) => {
      const path = hotPath(layout, key);
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      let offset = 0;
      for (const s of lines) {
        const length = Buffer.byteLength(s.line);
        buffered.push({ part, entry: entry(s, { key, offset, length }, length + 1) });
        offset += length + 1;
      }
      writeFileSync(path, `${lines.map((s) => s.line).join('\n')}\n`, { mode: 0o600, flag: 'wx' });
      tally.keys.push(key);
    };
    if (part === 'hot') {
      for (let i = 0; i < sorted.length; i += HOT_BATCH) writeObject(batchObjectKey(prefix, ++sequence), sorted.slice(i, i + HOT_BATCH));
    } else {
      writeObject(segmentKey(prefix), sorted);
    }
    tally.events += sorted.length;
    ms.files += performance.now() - t0;
    if (buffered.length >= 20_000) await putBuffered();
  };

  const pending = new Map<number, SyntheticEvent[]>();
  for (let b = 0; b < blocks && count < events; b++) {
    for (const s of source.block(b)) {
      if (count >= events) break;
      count++;
      bytes += s.line.length;
      const h = hourStart(s.timestamp);
      (pending.get(h) ?? pending.set(h, []).get(h)!).push(s);
    }
    // No later block holds events before its own start, so every earlier hour is complete.
    const complete = b === blocks - 1 || count >= events ? Infinity : BENCH_START + (b + 1) * source.blockSpan;
    for (const h of [...pending.keys()].sort((x, y) => x - y)) {
      if (h >= complete) break;
      await flushHour(h, pending.get(h)!);
      pending.delete(h);
    }
  }
  if (buffered.length > 0) await putBuffered();

  const t0 = performance.now();
  const archive = new FsArchiveTier({ dataDir: layout.root, restoreDelayMs: 0, onStorageChange: (k, c, r) => index.setObjectStorage(k, c, r) });
  const queue = [...tallies.get('archived')!.keys];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let k = queue.shift(); k !== undefined; k = queue.shift()) await archive.transition(k, 'GLACIER');
  }));
  archive.close();
  index.close();
  ms.archive = performance.now() - t0;

  const window = (p: Part): Window => {
    const t = tallies.get(p)!;
    return { from: t.from, to: t.to === Infinity ? hourStart(BENCH_START + Math.ceil(span)) + 2 * 3600 : t.to, events: t.events, objects: t.keys.length, keys: t.keys, firstPosition: t.firstPosition, lastPosition: t.lastPosition };
  };
  return {
    dir: layout.root, events: count, eventBytes: Math.round(bytes / Math.max(1, count)), lastPosition,
    archived: window('archived'), hotSegments: window('hotSegments'), compacted: window('compacted'), hot: window('hot'),
    buildMs: { files: Math.round(ms.files), index: Math.round(ms.index), archive: Math.round(ms.archive) }, source,
  };
}
