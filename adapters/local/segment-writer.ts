// Write-once, durable compacted segments (NDJSON) for FsEventLog, with the byte location of every line.

import { dirname } from 'node:path';
import { EventConflictError, InvalidArgumentError } from '../../domain/errors.ts';
import type { EventLocation } from '../../domain/ports/event-log.ts';
import { createOnce, fsyncDirSync, readIfExists } from './durable-fs.ts';
import { ensureDirSync, type DataDirLayout } from './layout.ts';
import { asStorageFull } from './storage-full.ts';

/** The segment's bytes and the location of each line (offset and length without the newline). */
export function segmentBytes(key: string, lines: readonly string[]): { bytes: Buffer; locations: EventLocation[] } {
  const locations: EventLocation[] = [];
  const parts: string[] = [];
  let offset = 0;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (line.length === 0 || line.includes('\n')) throw new InvalidArgumentError(`lines[${i}]`, 'a segment line must be one non-empty line of JSON');
    const length = Buffer.byteLength(line);
    locations.push({ key, offset, length });
    parts.push(line, '\n');
    offset += length + 1;
  });
  return { bytes: Buffer.from(parts.join('')), locations };
}

/**
 * Create the segment at `path` once, durably (file, folder and new parent folders fsynced). Writing the same bytes
 * again returns the same result, so a retried compaction is harmless; other bytes throw `EventConflictError`.
 */
export function writeSegmentOnce(layout: DataDirLayout, path: string, key: string, lines: readonly string[]): { size: number; locations: EventLocation[] } {
  if (lines.length === 0) throw new InvalidArgumentError('lines', 'a segment needs at least one line');
  const { bytes, locations } = segmentBytes(key, lines);
  const result = { size: bytes.length, locations };
  const existing = readIfExists(path);
  if (existing === undefined) {
    if (created(layout, path, key, bytes)) return result;
  }
  if (!(existing ?? readIfExists(path))?.equals(bytes)) throw new EventConflictError(key, key);
  return result;
}

/** Whether the segment was created (false: the name was taken meanwhile); a full disk is a StorageFullError. */
function created(layout: DataDirLayout, path: string, key: string, bytes: Buffer): boolean {
  try {
    ensureDirSync(dirname(path));
    if (createOnce(path, bytes, true) === 'exists') return false;
    for (let d = dirname(path); d.startsWith(layout.root); d = dirname(d)) {
      fsyncDirSync(d);
      if (d === layout.root) break;
    }
    return true;
  } catch (error) {
    // createOnce publishes whole files only, and the index is relocated only after this returns: the events are
    // still read from the objects they were in, and the compaction run again writes the segment (or checks it).
    throw asStorageFull(error, `writing segment ${key}`, path, 'a segment is published whole or not at all, and its events are still read from the objects they were in');
  }
}
