// The exactly-once checks every reliability test ends with: what the log, the index and the projections hold,
// compared with the events the test meant to emit. Returns the problems found (an empty list means all is well),
// so tests can count mismatches for the summary and assert that the count is zero.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventId, serializeEvent, type DomainEvent } from '../../domain/event.ts';
import { isReadable } from '../../domain/ports/storage.ts';
import { foldEvents, type ProjectionState } from '../../domain/projection.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';

/** Every event line of the log's objects, read straight from disk (hot objects and archived ones). */
export interface LogScan {
  readonly objects: number;
  /** Identity → the stored lines with that identity (more than one means the event is stored twice). */
  readonly lines: Map<string, string[]>;
}

function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.name.startsWith('.') ? [] : e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Scan `<dataDir>/events` and `<dataDir>/archive/<class>/events` (restored copies are copies, not objects). */
export function scanLogFiles(dataDir: string): LogScan {
  const roots = [join(dataDir, 'events'), ...['GLACIER', 'DEEP_ARCHIVE'].map((c) => join(dataDir, 'archive', c, 'events'))];
  const files = roots.flatMap(filesUnder).filter((f) => f.endsWith('.event') || f.endsWith('.ndjson'));
  const lines = new Map<string, string[]>();
  for (const f of files) {
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      if (line === '') continue;
      const id = eventId(JSON.parse(line) as DomainEvent);
      lines.set(id, [...(lines.get(id) ?? []), line]);
    }
  }
  return { objects: files.length, lines };
}

const sorted = (m: ReadonlyMap<string, unknown>) => JSON.stringify([...m].sort(([a], [b]) => (a < b ? -1 : 1)), (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Differences between a store's state and the reference fold (counters, rows, applied identities). */
export function stateProblems(name: string, actual: ProjectionState, expected: ProjectionState): string[] {
  const out: string[] = [];
  if (sorted(actual.counters) !== sorted(expected.counters)) out.push(`${name}: counters differ from the direct fold`);
  if (sorted(actual.rows) !== sorted(expected.rows)) out.push(`${name}: rows differ from the direct fold`);
  if (actual.applied.size !== expected.applied.size) out.push(`${name}: ${actual.applied.size} events applied, the fold applies ${expected.applied.size}`);
  return out;
}

/**
 * Problems with "every event stored once, indexed once, applied once, nothing dead-lettered". `logScan: false`
 * skips the file scan (an interrupted compaction may leave an event's old object beside its segment line until the
 * next run removes it; the index still resolves each event to exactly one of them).
 */
export async function exactlyOnceProblems(local: EventlakeRuntime, expected: readonly DomainEvent[], options: { logScan?: boolean } = {}): Promise<string[]> {
  const problems: string[] = [];
  const want = new Map(expected.map((e) => [eventId(e), serializeEvent(e)]));
  if (options.logScan !== false) problems.push(...logProblems(local.dataDir, want));
  problems.push(...(await indexProblems(local, want)));
  const upcast = expected.map(local.upcast);
  for (const p of local.projections) {
    const state = await local.store.readState(p.name, await local.store.liveGeneration(p.name));
    problems.push(...stateProblems(p.name, state, foldEvents(p, upcast)));
  }
  const dead = await local.deadLetters.list();
  if (dead.length > 0) problems.push(`dead letters: ${dead.map((d) => `${d.target}/${d.id}`).join(', ')}`);
  const [dispatched, last] = [await local.dispatchedPosition(), await local.index.lastPosition()];
  if (dispatched !== last) problems.push(`dispatch checkpoint ${dispatched} is not the last position ${last}`);
  return problems;
}

/** Each wanted event stored exactly once with its bytes, and nothing else stored. */
export function logProblems(dataDir: string, want: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const scan = scanLogFiles(dataDir);
  for (const [id, bytes] of want) {
    const stored = scan.lines.get(id) ?? [];
    if (stored.length !== 1) problems.push(`log: ${id} stored ${stored.length} times`);
    else if (stored[0] !== bytes) problems.push(`log: ${id} holds other bytes than emitted`);
  }
  for (const id of scan.lines.keys()) if (!want.has(id)) problems.push(`log: ${id} was never emitted`);
  return problems;
}

/** One index row per wanted event, pointing at its bytes. */
async function indexProblems(local: EventlakeRuntime, want: ReadonlyMap<string, string>): Promise<string[]> {
  const problems: string[] = [];
  const rows = await local.index.count();
  if (rows !== want.size) problems.push(`index: ${rows} rows for ${want.size} events`);
  for (const [id, bytes] of want) {
    const entry = await local.index.get(id);
    if (!entry) problems.push(`index: ${id} missing`);
    else if (isReadable(entry) && serializeEvent(await local.log.read(entry.location)) !== bytes) problems.push(`index: ${id} points at other bytes`);
  }
  return problems;
}
