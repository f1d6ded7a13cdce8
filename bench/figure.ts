// What one benchmark figure is (value beside its raw limit, as a ratio), and the small measuring helpers all share.

import { availableParallelism, cpus } from 'node:os';
import { serializeEvent, type DomainEvent } from '../domain/event.ts';

/** The conditions a figure was measured under; every figure carries them. */
export interface Conditions {
  readonly events: number;
  /** Mean bytes of one serialized event (its line, without the newline). */
  readonly eventBytes: number;
  readonly batchSize: number | null;
  /** How writes are made durable, e.g. `fdatasync per batch (journal group commit)`. */
  readonly fsync: string;
  /** `warm` when the files were just written or read (in the page cache), `cold` otherwise. */
  readonly cache: 'warm' | 'cold';
  readonly node: string;
  readonly cores: number;
  readonly cpu: string;
  /** Anything else a reader needs to interpret the number (smaller N of --quick, what the raw limit is). */
  readonly notes: readonly string[];
}

/** The raw limit of the same work, measured in the same run. */
export interface RawLimit {
  readonly value: number;
  readonly unit: string;
  /** Exactly what was measured as the limit. */
  readonly what: string;
}

/**
 * One figure. `ratio` is the fraction of the raw limit reached, higher is better and 1 means "as fast as the raw
 * limit": value / raw for rates, raw / value for times.
 */
export interface Figure {
  readonly id: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly raw: RawLimit | null;
  readonly ratio: number | null;
  readonly target: string;
  /** null when the figure has no target (report only). */
  readonly pass: boolean | null;
  /** Secondary numbers (p50/p99, phases, files opened…). */
  readonly details: Readonly<Record<string, number | string | boolean>>;
  readonly conditions: Conditions;
}

/** Conditions with the machine facts filled in. */
export function conditions(c: Omit<Conditions, 'node' | 'cores' | 'cpu'>): Conditions {
  return { ...c, node: process.version, cores: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' };
}

/** value/raw for a rate (higher is better), raw/value for a time (lower is better); 3 decimals. */
export function ratioOf(value: number, raw: number, kind: 'rate' | 'time'): number {
  const r = kind === 'rate' ? value / raw : raw / value;
  return Number.isFinite(r) ? round(r, 3) : 0;
}

export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The middle value (the lower middle of an even count; 0 for none). */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1] ?? 0;
}

/** The p-th percentile (0-100) of `samples`, nearest rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Milliseconds `fn` took. */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** Mean bytes of a serialized event (its canonical line without the newline), over the first 1,000 of `events`. */
export function meanEventBytes(events: readonly DomainEvent[]): number {
  const sample = events.slice(0, 1000);
  let bytes = 0;
  for (const e of sample) bytes += serializeEvent(e).length;
  return Math.round(bytes / Math.max(1, sample.length));
}

/** Events per second. */
export function rate(events: number, ms: number): number {
  return Math.round(events / Math.max(ms / 1000, 1e-9));
}
