// Large, realistic event streams for the benchmarks: a domain/generator.ts block, repeated with shifted time and ids.
//
// Why repeat a block: generateEvents costs ~25 µs per event (random UUID strings, bigint money) and serializeEvent
// ~10 µs (recursive key sort), so 1M events would take most of the run before anything is measured. One generated
// block (same mix of types, amounts, accounts, verified deposits) is repeated with EventTimeStamp moved by the block's
// span and every RequestId given new first 8 hex digits: the block number XOR a hash of the rest of the id. So a deposit
// and its verification stay paired, no two clones share an id (XOR with a fixed value is one-to-one), and ids stay as
// random as real UUIDv4s across the whole log. Why that matters: a clone prefix that grew with the block number kept
// each block's ids together, which made idempotency keys and the index's id column B-tree appends instead of the
// random inserts real RequestIds cause, and flattered replay at 1M events about 4x on key inserts. Each block event's canonical line is cut around those two values once, so a clone's line is three
// string concatenations; clones are checked against serializeEvent on a sample before use.

import { accountsOf, eventId, serializeEvent, type DomainEvent } from '../domain/event.ts';
import { generateEvents } from '../domain/generator.ts';

/** 2024-01-01T00:00:00Z. */
export const BENCH_START = 1_704_067_200;
/** About 1,000 events per hour partition, as a busy ledger writes them. */
export const EVENTS_PER_HOUR = 1_000;
const VERIFY_SHARE = 1.1; // a third of the 30 % deposits add a verification

/** One event as the log stores it: identity, what the index needs, and its canonical line. */
export interface SyntheticEvent {
  readonly id: string;
  readonly type: string;
  readonly timestamp: number;
  readonly accounts: readonly string[];
  /** serializeEvent(event), no newline. */
  readonly line: string;
}

/** A repeatable block of events. */
export interface EventSource {
  /** Events per block (the generator's count, verifications included). */
  readonly blockSize: number;
  /** Seconds between the starts of two blocks. */
  readonly blockSpan: number;
  /** Blocks needed for `events` events. */
  blocks(events: number): number;
  /** The events of block `b`, in time order. */
  block(b: number): SyntheticEvent[];
}

interface Template {
  readonly type: string;
  readonly timestamp: number;
  readonly accounts: readonly string[];
  readonly idTail: string;
  /** A 32-bit hash of idTail: block b's clone gets the first 8 hex digits `b XOR scramble`. */
  readonly scramble: number;
  /** The line before the EventTimeStamp value, between it and the RequestId's last 28 characters, and after. */
  readonly parts: readonly [string, string, string];
}

/** FNV-1a, 32 bits. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function templateOf(event: DomainEvent): Template {
  const line = serializeEvent(event);
  const ts = line.indexOf('"EventTimeStamp":') + '"EventTimeStamp":'.length;
  const tsEnd = ts + String(event.EventTimeStamp).length;
  const rid = line.indexOf('"RequestId":"') + '"RequestId":"'.length;
  if (line.slice(ts, tsEnd) !== String(event.EventTimeStamp) || rid < tsEnd || line.slice(rid, rid + 36) !== event.RequestId) {
    throw new Error(`unexpected canonical layout of ${eventId(event)}`);
  }
  const idTail = event.RequestId.slice(8);
  return {
    type: event.EventType, timestamp: event.EventTimeStamp, accounts: accountsOf(event), idTail, scramble: fnv1a(idTail),
    parts: [line.slice(0, ts), line.slice(tsEnd, rid), line.slice(rid + 8)],
  };
}

/** A source whose blocks hold about `blockTarget` events each, ~EVENTS_PER_HOUR per hour. */
export function eventSource(blockTarget = 25_000, accounts = 10_000): EventSource {
  const generated = Math.max(1, Math.round(blockTarget / VERIFY_SHARE));
  const days = Math.max(1, Math.round(generated / (EVENTS_PER_HOUR * 24)));
  const templates = generateEvents({ accounts, days, eventsPerDay: Math.round(generated / days), start: BENCH_START, seed: 7 }).map(templateOf);
  const blockSpan = days * 86_400;
  const block = (b: number): SyntheticEvent[] => {
    const shift = b * blockSpan;
    return templates.map((t) => {
      const timestamp = t.timestamp + shift;
      const prefix = ((b ^ t.scramble) >>> 0).toString(16).padStart(8, '0');
      return { id: `${t.type}_${prefix}${t.idTail}`, type: t.type, timestamp, accounts: t.accounts, line: `${t.parts[0]}${timestamp}${t.parts[1]}${prefix}${t.parts[2]}` };
    });
  };
  for (const s of block(0x2a).slice(0, 2_000)) {
    const event = JSON.parse(s.line) as DomainEvent;
    if (serializeEvent(event) !== s.line || eventId(event) !== s.id) throw new Error(`bench clone of ${s.id} is not canonical`);
  }
  return { blockSize: templates.length, blockSpan, blocks: (events) => Math.max(1, Math.ceil(events / templates.length)), block };
}

/** The first `n` events of a source as objects (for the append figures: fresh identities, as emitted). */
export function firstEvents(source: EventSource, n: number): DomainEvent[] {
  const out: DomainEvent[] = [];
  for (let b = 0; out.length < n; b++) for (const s of source.block(b)) if (out.length < n) out.push(JSON.parse(s.line) as DomainEvent);
  return out;
}
