// One object of `checkLog`: do its lines and the index rows that name it agree, line for line? An object whose only
// findings are second copies an interrupted compaction left is reported as one compactionLeftover instead
// (log-check-leftovers.ts, by the port-level check's rule).

import { readFileSync } from 'node:fs';
import { EVENT_OBJECT_SUFFIX, eventId, partitionPrefix, type DomainEvent } from '../../domain/event.ts';
import { schemaFinding, type StoredEventValidator } from '../../projections/log-index-check-schemas.ts';
import { unqueryableWhy } from '../../projections/log-index-check-unwell.ts';
import { isIntactEventObject, lineSpans, parseEventLine } from './fs-objects.ts';
import { readableCopy, readCopy, type CopyPlace } from './log-check-files.ts';
import { NOT_CHECKED, readOrRefuse } from './log-check-unreadable.ts';
import { localLeftover, type IndexedAt, type LocalSegmentLines } from './log-check-leftovers.ts';
import type { Findings } from './log-check-report.ts';
import type { CheckRow } from './log-check-sqlite.ts';
import { catalogueKey } from './sqlite-log-catalogue.ts';

/** What checking an object needs besides the object: lookups in the index and the catalogue copies. */
export interface ObjectCheckContext {
  readonly findings: Findings;
  readonly readArchived: boolean;
  /** Where the index has `id`, if anywhere. */
  readonly indexedAt: (id: string) => IndexedAt | undefined;
  /** Segments a copy may be a compaction leftover of, read only for an object shaped like one. */
  readonly segmentLines: LocalSegmentLines;
  /** Journal offset the catalogue recorded a catalogue key at, if any. */
  readonly catalogueOffsetOf: (key: string) => number | undefined;
  /** Identities journaled at or past it may not be indexed yet (not an orphan): see `pendingFrom`. */
  readonly pendingFrom: number;
  /** Whether an object no index row names belongs to an append made after the catalogue copy: see `appendedSince`. */
  readonly appendedDuringCheck: (key: string) => boolean;
  /** Validates each whole event as replay does, when given. */
  readonly validator?: StoredEventValidator;
}

interface Line {
  readonly offset: number;
  readonly length: number;
  readonly id?: string;
  readonly timestamp?: number;
  named: boolean;
  /** Where its identity is indexed, when it is a second copy. */
  copyOf?: IndexedAt;
}

/** How a finding is added: `checkObject` holds an object's until it knows whether they stand (not for a compaction leftover). */
type Add = Findings['add'];

function lines(key: string, bytes: Buffer, findings: { add: Add }, validator: StoredEventValidator | undefined): Line[] {
  if (key.endsWith(EVENT_OBJECT_SUFFIX)) {
    const text = bytes.toString('utf8');
    const event = isIntactEventObject(key, text) ? parseEventLine(text.slice(0, -1)) : undefined;
    if (!event) findings.add('tornLine', () => `${key}: not exactly its one canonical event followed by a newline (${bytes.length} bytes)`);
    const found = identity(event);
    if (found.id !== undefined) judge(event!, () => `${found.id} at ${key}`, findings, validator);
    return [{ offset: 0, length: bytes.length, ...found, named: false }];
  }
  const out: Line[] = [];
  for (const { start, end, torn } of lineSpans(bytes)) {
    const event = torn ? undefined : parseEventLine(bytes.toString('utf8', start, end));
    const found = identity(event);
    if (found.id === undefined) {
      const why = torn ? 'the last line has no newline (a write cut short)' : end === start ? 'an empty line' : 'not one whole event';
      findings.add('tornLine', () => `${key}@${start}+${end - start}: ${why}`);
    } else judge(event!, () => `${found.id} at ${key}@${start}+${end - start}`, findings, validator);
    out.push({ offset: start, length: end - start, ...found, named: false });
  }
  return out;
}

/**
 * Names a whole event line input checks would refuse today, and one replay's validation refuses (with a validator);
 * a clean event costs its walk and its validation, nothing more.
 */
function judge(event: DomainEvent, place: () => string, findings: { add: Add }, validator: StoredEventValidator | undefined): void {
  const why = unqueryableWhy(event as unknown as Record<string, unknown>, validator);
  if (why !== undefined) findings.add('unqueryableEvent', () => `${place()}: ${why}`);
  const invalid = validator && schemaFinding(validator, event);
  if (invalid) findings.add(invalid.kind, () => `${place()}: ${invalid.why()}`);
}

/**
 * Count an object appended after the database copies, unchecked: neither copy can vouch for it. Absent by now is no
 * finding either: an append that failed removes the objects it created.
 */
function countAppended(key: string, copies: Partial<Record<CopyPlace, string>>, ctx: ObjectCheckContext): void {
  const path = copies.STANDARD;
  const bytes = path === undefined ? undefined : readOrRefuse(path, NOT_CHECKED, () => readFileSync(path), () => undefined);
  const events = bytes === undefined ? 0 : [...lineSpans(bytes)].length;
  if (events > 0) ctx.findings.add('appendedDuringCheck', () => `${key}: ${events} events, appended after the check copied the catalogue`, events);
}

function identity(event: DomainEvent | undefined): { id?: string; timestamp?: number } {
  if (!event || typeof event.EventType !== 'string' || typeof event.RequestId !== 'string' || typeof event.EventTimeStamp !== 'number') return {};
  return { id: eventId(event), timestamp: event.EventTimeStamp };
}

/**
 * Check one object against the index rows naming it (`rows`, possibly none). Returns the number of lines read (0
 * when its bytes were not read). Findings go to `ctx.findings`, held until the object is read whole: one that is
 * exactly what an interrupted compaction leaves gives one compactionLeftover (counting its copies) instead of them.
 */
export function checkObject(key: string, copies: Partial<Record<CopyPlace, string>>, rows: readonly CheckRow[], ctx: ObjectCheckContext): number {
  if (rows.length === 0 && ctx.appendedDuringCheck(key)) {
    countAppended(key, copies, ctx);
    return 0;
  }
  const held: Parameters<Add>[] = [];
  const findings = { add: (...finding: Parameters<Add>) => void held.push(finding) };
  const stand = () => held.forEach((finding) => ctx.findings.add(...finding));
  const misfiled = rows.filter((r) => !copies[r.storageClass]);
  if (misfiled.length > 0) {
    findings.add('storageMismatch', () => `${key}: the index says ${misfiled[0]!.storageClass}, its bytes are in ${Object.keys(copies).join(', ')}`, misfiled.length);
  }
  const path = readableCopy(copies, ctx.readArchived);
  if (path === undefined) {
    if (rows.length > 0) findings.add('archivedNotRead', () => `${key}: ${rows.length} events`, rows.length);
    stand();
    return 0;
  }
  const bytes = readCopy(path);
  const found = lines(key, bytes, findings, ctx.validator);
  const byOffset = new Map(found.map((l) => [l.offset, l]));
  const single = key.endsWith(EVENT_OBJECT_SUFFIX);
  for (const row of rows) {
    const line = single ? (row.offset === null ? found[0] : undefined) : row.offset === null ? undefined : byOffset.get(row.offset);
    const at = row.offset === null ? key : `${key}@${row.offset}+${row.length}`;
    if (!line || (!single && line.length !== row.length) || line.id !== row.id) {
      findings.add('wrongLocation', () => `${row.id} is indexed at ${at}, which holds ${line?.id ?? 'no whole event line'}`);
      continue;
    }
    line.named = true;
    if (line.timestamp !== row.timestamp) findings.add('timeMismatch', () => `${row.id} at ${at}: EventTimeStamp ${line.timestamp}, index time ${row.timestamp}`);
  }
  const hour = key.slice(0, key.lastIndexOf('/') + 1);
  let unnamed = 0;
  for (const line of found) {
    if (line.id === undefined) continue;
    if (partitionPrefix(line.timestamp!) !== hour) findings.add('misplacedLine', () => `${line.id} at ${key}@${line.offset}: EventTimeStamp ${line.timestamp} belongs in ${partitionPrefix(line.timestamp!)}`);
    if (line.named) continue;
    const elsewhere = ctx.indexedAt(line.id);
    if (elsewhere !== undefined) {
      line.copyOf = elsewhere;
      findings.add('extraCopy', () => `${line.id} at ${key}@${line.offset} is indexed in ${elsewhere.key}`);
      unnamed++;
      continue;
    }
    // Materialized but not indexed yet: the identity comparison reports it as pending, once.
    const journaled = ctx.catalogueOffsetOf(catalogueKey(line.id, line.timestamp!));
    if (journaled !== undefined && journaled >= ctx.pendingFrom) continue;
    findings.add('unindexedLine', () => `${line.id} at ${key}@${line.offset}+${line.length} is in no index row`);
    unnamed++;
  }
  if (rows.length === 0 && unnamed > 0) findings.add('orphanObject', () => `${key}: ${found.length} lines, no index row`);
  const leftover = localLeftover(key, bytes, found, held.map(([kind]) => kind), ctx.segmentLines);
  if (leftover) ctx.findings.add('compactionLeftover', () => leftover.example, leftover.events);
  else stand();
  return found.length;
}
