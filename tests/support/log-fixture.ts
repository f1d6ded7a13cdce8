// Writes a local log straight to disk, in the layout and bytes FsEventLog and the compactor produce, for query tests.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DomainEvent } from '../../domain/event.ts';
import { eventKey, hourStart, partitionPrefix, segmentKey, serializeEvent } from '../../domain/event.ts';

/** How one hour is stored: one-event files, a hot segment, an archived + restored segment, or an unrestored archive. */
export type Placement = 'files' | 'segment' | 'restored' | 'archived';

/** Write a file, creating its folders. */
export function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes `events` as the local log holds them, each hour placed as `place` says; returns the readable events. */
export function writeLog(dataDir: string, events: readonly DomainEvent[], place: (hour: number) => Placement): DomainEvent[] {
  const hours = new Map<number, DomainEvent[]>();
  for (const e of events) {
    const hour = hourStart(e.EventTimeStamp);
    const list = hours.get(hour);
    if (list) list.push(e);
    else hours.set(hour, [e]);
  }
  for (const [hour, list] of hours) {
    const key = segmentKey(partitionPrefix(hour));
    const segment = list.map((e) => `${serializeEvent(e)}\n`).join('');
    const kind = place(hour);
    if (kind === 'files') for (const e of list) put(join(dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
    if (kind === 'segment') put(join(dataDir, key), segment);
    if (kind === 'restored') put(join(dataDir, 'archive', 'GLACIER', key), segment), put(join(dataDir, 'restored', key), segment);
    if (kind === 'archived') put(join(dataDir, 'archive', 'DEEP_ARCHIVE', key), segment);
  }
  return events.filter((e) => place(hourStart(e.EventTimeStamp)) !== 'archived');
}
