// The invariants a data dir must meet after any interleaving of two logs, checked once both have closed and a fresh
// log and indexer have caught up: each identity the model holds is on disk exactly once with its bytes, readable
// through the index (archived: in its archive folder) and (unless a compaction or archiving moved it) at the location its append returned, and checkLog finds the
// data dir whole.

import { readFileSync } from 'node:fs';
import { archivePath, type ArchiveClass } from '../../../adapters/local/layout.ts';
import { checkLog } from '../../../adapters/local/log-check.ts';
import { serializeEvent } from '../../../domain/event.ts';
import type { EventLocation } from '../../../domain/ports/event-log.ts';
import type { StorageClass } from '../../../domain/ports/storage.ts';
import { scanLogFiles } from '../invariants.ts';
import type { LocalLake } from './runner.ts';
import type { LogModel } from './model.ts';

/** The event line at `location` (read from the archive folder when the index says it is archived), if any. */
async function contentAt(lake: LocalLake, location: EventLocation, storageClass: StorageClass = 'STANDARD'): Promise<string | undefined> {
  try {
    if (storageClass === 'STANDARD') return serializeEvent(await lake.log.read(location));
    const bytes = readFileSync(archivePath(lake.log.layout, storageClass as ArchiveClass, location.key));
    const line = location.offset === undefined ? bytes : bytes.subarray(location.offset, location.offset + location.length!);
    return line.toString('utf8').replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/**
 * Problems reading what the model holds through `lake`: an indexed event not at its index location, an acknowledged
 * one not at the location its append returned although no compaction moved it. Holds between any two commands.
 */
export async function readProblems(model: LogModel, lake: LocalLake): Promise<string[]> {
  const problems: string[] = [];
  for (const [id, k] of model.known) {
    const entry = await lake.index.get(id);
    if (entry && (await contentAt(lake, entry.location, entry.storageClass)) !== k.content) problems.push(`${id}: the index's location ${JSON.stringify(entry.location)} does not hold it`);
    if (k.location && !model.movedSinceAck(k) && (await contentAt(lake, k.location)) !== k.content) {
      problems.push(`${id}: not at the location its append returned, ${JSON.stringify(k.location)}, and no compaction moved it`);
    }
  }
  return problems;
}

/** Problems found in the data dir at `dir`, read through `lake` (opened after both logs closed, caught up). */
export async function finalProblems(dir: string, model: LogModel, lake: LocalLake): Promise<string[]> {
  const problems = await readProblems(model, lake);
  const { lines } = scanLogFiles(dir);
  for (const [id, k] of model.known) {
    const found = lines.get(id) ?? [];
    if (found.length !== 1) problems.push(`${id}: ${found.length} lines on disk, 1 expected${k.location ? '' : ' (journaled, never acknowledged)'}`);
    else if (found[0] !== k.content) problems.push(`${id}: other bytes on disk than were stored`);
    if (!(await lake.index.get(id))) problems.push(`${id}: not in the index`);
  }
  for (const id of lines.keys()) if (!model.known.has(id)) problems.push(`${id}: on disk, but no append stored it`);
  const indexed = await lake.index.count();
  if (indexed !== model.known.size) problems.push(`the index holds ${indexed} events, the data dir ${model.known.size}`);
  const report = await checkLog(dir);
  if (!report.whole) {
    const found = Object.entries(report.findings).filter(([, f]) => f.count > 0).map(([kind, f]) => `${kind}: ${f.count} ${JSON.stringify(f.examples)}`);
    problems.push(`checkLog: not whole: ${found.join('; ')}`);
  }
  return problems;
}
