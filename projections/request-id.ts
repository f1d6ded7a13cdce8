// RequestIds eventlake generates for events emitted without one: UUIDv7 (RFC 9562), time-ordered.

import { randomFillSync } from 'node:crypto';
import { REQUEST_ID_PATTERN } from '../domain/event.ts';

/** Random bytes drawn 256 ids at a time: one getrandom call per id costs more than the id. */
const pool = Buffer.alloc(256 * 10);
let poolAt = pool.length;
let lastMs = -1;
let sequence = 0;

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A new UUIDv7: 48 bits of Unix milliseconds, then a 12-bit sequence (random start each millisecond, incremented
 * within it, so ids of one process sort in the order they were made), then 62 random bits.
 *
 * Why v7 and not v4: identities (`<EventType>_<RequestId>`) are the keys of B-trees (the log's catalogue, the
 * projections' idempotency keys). Random v4 ids land on a different page each, so every commit rewrites pages all
 * over the tree; time-ordered ids append near the end (bench/README.md measures the difference).
 *
 * @param now - the clock (Unix ms), for tests.
 */
export function newRequestId(now: number = Date.now()): string {
  if (poolAt + 10 > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 10;
  let ms = Math.max(Math.floor(now), lastMs);
  if (ms === lastMs) {
    sequence++;
    // 4,096 ids in one millisecond: borrow the next one (RFC 9562 6.2 allows the timestamp to run ahead).
    if (sequence > 0xfff) {
      ms++;
      sequence = pool[r]! & 0x7ff;
    }
  } else {
    // A random start in the lower half leaves room to count up within the millisecond.
    sequence = ((pool[r]! << 8) | pool[r + 1]!) & 0x7ff;
  }
  lastMs = ms;
  const t = ms.toString(16).padStart(12, '0');
  const b = pool;
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-${(0x7000 | sequence).toString(16)}-`
    + `${HEX[0x80 | (b[r + 2]! & 0x3f)]}${HEX[b[r + 3]!]}-${HEX[b[r + 4]!]}${HEX[b[r + 5]!]}${HEX[b[r + 6]!]}${HEX[b[r + 7]!]}${HEX[b[r + 8]!]}${HEX[b[r + 9]!]}`;
}

/** `input` with a RequestId: a new one (`newRequestId`) when it has none, a given UUID in lower case. */
export function withRequestId(input: unknown, newRequestId: () => string): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  if (!('RequestId' in input)) return { ...input, RequestId: newRequestId() };
  const id = input.RequestId;
  // UUIDs compare case-insensitively (RFC 9562) but identities byte for byte: one event sent in upper and in lower case
  // was stored and counted twice, so new input takes lower case. Case first: most ids have none to fix (regex ≈ 0.2 µs).
  return typeof id === 'string' && id !== id.toLowerCase() && REQUEST_ID_PATTERN.test(id) ? { ...input, RequestId: id.toLowerCase() } : input;
}
