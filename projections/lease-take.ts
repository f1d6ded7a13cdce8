// Taking a lease: the one integer a lease is in its CheckpointStore (expiry and holder tag), and the compare-and-set
// that takes it: from a free or expired lease, or at once from a holder the store's liveness knows is dead; read back
// when its answer may have been lost. The holder's side (renewal, release) is in lease.ts.

import { TransientError } from '../domain/errors.ts';
import type { CheckpointStore } from '../domain/ports/checkpoint-store.ts';
import type { HolderMark, LeaseLiveness } from '../domain/ports/lease-liveness.ts';

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

/** The holder tag of a lease value (0 for a free lease). */
export function leaseTag(value: number): number {
  return value % TAGS;
}

/** A tag that differs from the one in `current`, so the value written differs from every value seen before. */
export function freshTag(current: number, random: () => number): number {
  const taken = leaseTag(current);
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

/** A lease taken: the value written, its tag, and the holder's liveness mark (none without liveness). */
export interface Taken {
  readonly value: number;
  readonly tag: number;
  readonly mark: HolderMark | undefined;
}

/** How a take draws its value: the lease's TTL, clock, randomness and `notAfter` (see LeaseClock). */
export interface TakeClock {
  readonly ttlMs: number;
  readonly now: () => number;
  readonly random: () => number;
  readonly notAfter: number;
}

/**
 * Take lease `name` if it is free, expired, or held by a holder known dead; else answer the value that holds it.
 * Bounded: a take that lost means someone wrote the lease between our read and write, and unless it was our own
 * write that one most likely holds now; a lease released and taken over and over is held, in effect.
 */
export async function takeLease(store: CheckpointStore, name: string, clock: TakeClock): Promise<Taken | { held: number }> {
  const liveness = store.leaseLiveness;
  let current = await store.get(name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const expired = current === 0 || leaseExpiry(current) <= clock.now();
    // Asked of an expired lease too, so its dead holder's leftover mark is deleted once taken over.
    const dead = current === 0 ? undefined : await liveness?.dead(name, leaseTag(current));
    if (!expired && !dead) break;
    let answer: TakeAnswer | undefined;
    try {
      const { tag, mark } = await drawTag(liveness, name, current, clock.random);
      const value = leaseValue(Math.min(clock.now() + clock.ttlMs, clock.notAfter), tag);
      try {
        answer = await take(store, name, current, value);
      } finally {
        // A take that threw may have landed: its mark is left dead, so a next taker finding our value takes it at once.
        if (!answer?.ours) await mark?.release(answer === undefined);
      }
      if (answer.ours) return { value, tag, mark };
      current = answer.holder;
    } finally {
      await dead?.release(answer?.ours === true);
    }
  }
  return { held: current };
}

/**
 * A tag other than `current`'s, and with liveness one no live holder marks: marked before the lease is written, so a
 * taker never finds our value unmarked while we live (it would take the lease over from us).
 */
async function drawTag(liveness: LeaseLiveness | undefined, name: string, current: number, random: () => number): Promise<{ tag: number; mark: HolderMark | undefined }> {
  let tag = freshTag(current, random);
  if (!liveness) return { tag, mark: undefined };
  for (let tries = 1; ; tries++) {
    const mark = await liveness.mark(name, tag);
    if (mark) return { tag, mark };
    if (tries >= TAGS) throw new TransientError(`every holder tag of lease ${name} is marked by a live process: try again`);
    // Next tag round the ring, skipping `current`'s (0 is no tag).
    tag = (tag % (TAGS - 1)) + 1;
    if (tag === leaseTag(current)) tag = (tag % (TAGS - 1)) + 1;
  }
}
