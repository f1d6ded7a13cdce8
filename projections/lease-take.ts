// Taking a lease: the one integer a lease is in its CheckpointStore (expiry and holder tag), and the compare-and-set
// that takes it, read back when its answer may have been lost. The holder's side (renewal, release) is in lease.ts.

import { TransientError } from '../domain/errors.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';

/**
 * Why the holder tag lives in the low digits: a value is one integer (what the port stores), it must stay a safe
 * integer (expiry * 1000 + 999 is, until the year 2255), and two holders must never write the same value, or a
 * stale holder's compare-and-set would succeed against its successor's lease.
 */
const TAGS = 1000;

/** A lease value: when it expires (epoch ms) and its holder's tag (1..999). */
export function leaseValue(expiresAt: number, tag: number): number {
  return expiresAt * TAGS + tag;
}

/** When the lease of that value expires, epoch ms (0 for a free lease). */
export function leaseExpiry(value: number): number {
  return Math.floor(value / TAGS);
}

/** A tag that differs from the one in `current`, so the value written differs from every value seen before. */
export function freshTag(current: number, random: () => number): number {
  const taken = current % TAGS;
  const tag = 1 + Math.floor(random() * (TAGS - 1));
  return tag === taken ? (tag % (TAGS - 1)) + 1 : tag;
}

/** What `take` found: whether the lease is ours now, and the value it holds (whoever wrote it). */
export interface TakeAnswer {
  readonly ours: boolean;
  readonly holder: number;
}

/**
 * Write `value` over `current` in `name`. Rethrows a TransientError only when the read-back shows the take did not
 * land; when the read-back itself fails, the take's own error is thrown, naming the read-back's.
 *
 * Why a failed take, or a refused one in a store without `exactAnswers`, reads back: its write may have landed with
 * only its answer lost, and the taker then found its own lease "held" and refused itself until it expired (5 minutes
 * by default). DynamoDbCheckpointStore's conditional put is retried on throttling and dropped connections: a retry of
 * a put that landed fails its own condition and answers false, and one whose last try lost its connection throws a
 * TransientError. SqliteCheckpointStore never retries (the local runtime declares `exactAnswers`): its false is the
 * store's truth: the value read back after it (for the holder's expiry) is a rival's even when it equals ours (a
 * rival that drew the same tag in the same millisecond writes the same integer), and two such takers no longer both
 * hold the lease. Only a store that may lose answers keeps that 1-in-998 risk.
 */
export async function take(store: CheckpointStore, name: string, current: number, value: number): Promise<TakeAnswer> {
  try {
    if (await store.compareAndSet(name, current, value)) return { ours: true, holder: value };
  } catch (error) {
    if (!(error instanceof TransientError)) throw error;
    let after: number;
    try {
      after = await store.get(name);
    } catch (readBack) {
      // The take's failure is what the caller must see (its code, its cause): the read-back's goes in its message.
      error.message += `; reading the lease back failed too: ${readBack instanceof Error ? readBack.message : String(readBack)}`;
      throw error;
    }
    // Not ours: the caller sees the failure, as it did before the read-back (a later run may take the lease).
    if (after !== value) throw error;
    return { ours: true, holder: value };
  }
  const holder = await store.get(name);
  return { ours: holder === value && store.exactAnswers !== true, holder };
}
