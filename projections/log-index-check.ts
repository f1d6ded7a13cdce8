// A read-only integrity check of an event log against its index, through the ports alone, so it runs on any target
// (the CLI uses it for a deployed AWS stack; the local data dir has its own deeper check in adapters/local).
//
// Two streaming passes, neither holding the log's events:
//   1. the index, in position pages: each page's entries grouped by object, each readable object read once for the
//      group (a few recent objects kept, since a segment's entries spread over many pages), each entry checked
//      against the bytes at its location. Per object, the entries that held their event are counted.
//   2. the log, object by object: an object whose every line was held by an entry in pass 1 is whole without a
//      second read; any other readable object is read again and each of its lines looked up in the index by identity.
//      An object whose other lines are exactly what an interrupted compaction leaves is a compaction leftover, not a
//      set of extra copies (log-index-check-leftovers.ts): only then are the segments its copies are in read again.
// Archived objects without a restored copy are counted and never read, and no restore is ever started.

import { EVENTS_PREFIX } from '../domain/event.ts';
import type { ArchiveTier } from '../domain/ports/archive-tier.ts';
import type { EventIndex, IndexEntry } from '../domain/ports/event-index.ts';
import type { EventLog, LogObject } from '../domain/ports/event-log.ts';
import { CheckedObjects } from './log-index-check-objects.ts';
import { mapLimit } from './map-limit.ts';
import { compactionLeftover, keptSegments, type CheckedLine } from './log-index-check-leftovers.ts';
import { entryFinding, lineEvent, placeOf } from './log-index-check-lines.ts';
import { copyFinding } from './log-index-check-copies.ts';
import { LogIndexFindings, type LogIndexCheckReport } from './log-index-check-report.ts';
import type { StoredEventValidator } from './log-index-check-schemas.ts';
import { RepeatedIdentities } from './log-index-check-identities.ts';

export type { LogIndexCheckReport } from './log-index-check-report.ts';

/** The ports the check reads (it writes to none of them). */
export interface LogIndexCheckDeps {
  readonly log: EventLog;
  readonly index: EventIndex;
  readonly archive: ArchiveTier;
}

export interface LogIndexCheckOptions {
  /** Examples kept per finding (default 10). */
  readonly limit?: number;
  /** Index entries per position page (default 1000). */
  readonly pageSize?: number;
  /** Objects read, or identities looked up, at once (default 16). */
  readonly concurrency?: number;
  /**
   * The schema registry replay reads the log with: every whole event read is put to its `validateStored`, one it
   * refuses is `invalidEvent` (`unknownSchema` for a type or version it does not define). Without it, none is validated.
   */
  readonly registry?: StoredEventValidator;
}

function byObject(entries: readonly IndexEntry[]): Map<string, IndexEntry[]> {
  const groups = new Map<string, IndexEntry[]>();
  for (const e of entries) {
    const group = groups.get(e.location.key);
    if (group) group.push(e);
    else groups.set(e.location.key, [e]);
  }
  return groups;
}

/**
 * Checks that every index entry's location holds its event and that every readable event is indexed there once.
 * Read-only and streaming: no event is kept past its object's check. Memory grows with the number of objects (a state
 * and two counts each) and by one 52-bit digest per identity (some tens of MB for a million events), never with their bytes.
 *
 * @example
 * const report = await checkLogAgainstIndex({ log, index, archive }, { limit: 5 });
 * if (!report.whole) console.log(report.findings.missingObject.examples);
 */
export async function checkLogAgainstIndex(deps: LogIndexCheckDeps, options: LogIndexCheckOptions = {}): Promise<LogIndexCheckReport> {
  const { limit = 10, pageSize = 1000, concurrency = 16, registry } = options;
  const findings = new LogIndexFindings(limit);
  const objects = new CheckedObjects(deps.log, deps.archive);
  const held = new Map<string, number>();
  const archivedEntries = new Map<string, number>();
  const repeated = new RepeatedIdentities();
  let indexEntries = 0;

  const checkGroup = async ([key, entries]: [string, IndexEntry[]]): Promise<void> => {
    const state = await objects.state(key);
    if (state === 'archived') {
      archivedEntries.set(key, (archivedEntries.get(key) ?? 0) + entries.length);
      return;
    }
    const lines = state === 'missing' ? undefined : await objects.linesIfPresent(key);
    for (const entry of entries) {
      if (!lines) {
        findings.add('missingObject', () => `${entry.id} → ${placeOf(entry)}: no such object`);
        continue;
      }
      const { finding: found, unqueryable, invalid } = entryFinding(entry, lines, registry);
      if (unqueryable !== undefined) findings.add('unqueryableEvent', () => `${entry.id} at ${placeOf(entry)}: ${unqueryable}`);
      if (invalid) findings.add(invalid.kind, () => `${entry.id} at ${placeOf(entry)}: ${invalid.why()}`);
      if (found) findings.add(found.kind, () => `${entry.id} → ${placeOf(entry)}: ${found.why}`);
      else held.set(key, (held.get(key) ?? 0) + 1);
    }
  };
  for (let after = 0; ;) {
    const page = await deps.index.afterPosition(after, pageSize);
    if (page.entries.length === 0) break;
    indexEntries += page.entries.length;
    for (const e of page.entries) repeated.see(e.id);
    await mapLimit([...byObject(page.entries)], concurrency, checkGroup);
    after = page.next;
  }
  for (const id of await repeated.confirm(deps.index, pageSize)) findings.add('indexedTwice', () => `${id}: more than one index entry`);

  let readObjects = 0;
  let events = 0;
  let restoredObjects = 0;
  const archived = { objects: 0, events: 0 };
  const checkObject = async ({ key }: LogObject): Promise<void> => {
    const state = await objects.state(key);
    if (state === 'missing') return; // removed since it was listed (compaction): its entries were checked in pass 1
    if (state === 'archived') {
      archived.objects += 1;
      archived.events += archivedEntries.get(key) ?? 0;
      return;
    }
    readObjects += 1;
    if (state === 'restored') restoredObjects += 1;
    const lineCount = objects.lineCounts.get(key);
    if (lineCount !== undefined && lineCount === held.get(key)) {
      events += lineCount;
      return;
    }
    const read = await objects.linesIfPresent(key);
    if (!read) return; // removed since it was listed, like a missing one above
    const { lines } = read;
    events += lines.length;
    const checked = await mapLimit(lines, concurrency, async (line): Promise<CheckedLine> => {
      const place = lines.length === 1 && line.offset === 0 ? key : `${key}@${line.offset}+${line.length}`;
      const event = lineEvent(line.text, registry);
      if (!event) return { line, finding: { kind: 'tornLine', example: () => `${place}: not one whole event` } };
      const entry = await deps.index.get(event.id);
      // A line its entry names was judged against input checks and validated in the index walk.
      const unqueryable = event.unqueryable === undefined ? undefined : { id: event.id, place, why: event.unqueryable };
      const invalid = event.invalid && { id: event.id, place, found: event.invalid };
      if (!entry) return { line, id: event.id, unqueryable, invalid, finding: { kind: 'unindexedEvent', example: () => `${event.id} at ${place}: no index entry` } };
      const same = entry.location.key === key && (entry.location.offset ?? 0) === line.offset;
      if (same) return { line, id: event.id, timestamp: event.timestamp };
      return { line, id: event.id, entry, unqueryable, invalid, finding: await copyFinding(deps.log, objects, { id: event.id, text: line.text, place, entry }) };
    });
    const leftover = await compactionLeftover(key, checked, segmentLines);
    if (leftover) return findings.add('compactionLeftover', () => leftover.example, leftover.events);
    for (const { finding, unqueryable: u, invalid: v } of checked) {
      if (u) findings.add('unqueryableEvent', () => `${u.id} at ${u.place}: ${u.why}`);
      if (v) findings.add(v.found.kind, () => `${v.id} at ${v.place}: ${v.found.why()}`);
      if (finding) findings.add(finding.kind, finding.example);
    }
  };
  const segmentLines = keptSegments(async (key) => {
    const state = await objects.state(key);
    return state === 'hot' || state === 'restored' ? objects.linesIfPresent(key) : undefined;
  });
  let listed: LogObject[] = [];
  for await (const o of deps.log.list(EVENTS_PREFIX)) {
    listed.push(o);
    if (listed.length < pageSize) continue;
    await mapLimit(listed, concurrency, checkObject);
    listed = [];
  }
  await mapLimit(listed, concurrency, checkObject);

  return {
    whole: !findings.anyHarmful,
    checked: { objects: readObjects, events, indexEntries, restoredObjects },
    archived,
    findings: findings.summary(),
  };
}
