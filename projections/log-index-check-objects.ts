// The log objects a log/index check reads: each object's storage state (asked once), and its lines, read at most
// once at a time and kept only for the few objects read most recently.

import { EventNotFoundError } from '../domain/errors.ts';
import { serializeEvent } from '../domain/event.ts';
import type { ArchiveTier } from '../domain/ports/archive-tier.ts';
import type { EventLog } from '../domain/ports/event-log.ts';

/** Where an object stands for the check: absent, archived with no restored copy (never read), or readable. */
export type ObjectState = 'missing' | 'archived' | 'hot' | 'restored';

/** One line of an object: its byte span (newline excluded) and its text. */
export interface ObjectLine {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** An object's lines, by offset for entries that name one. */
export interface ObjectLines {
  readonly lines: readonly ObjectLine[];
  readonly byOffset: ReadonlyMap<number, ObjectLine>;
}

/** Objects whose lines stay in memory: a segment's entries spread over many index pages, so it is asked for again. */
const KEPT_OBJECTS = 16;

/** Splits stored bytes into lines; an empty line (a trailing newline) is no event and not kept. */
export function splitLines(bytes: Uint8Array): ObjectLines {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: ObjectLine[] = [];
  for (let offset = 0; offset < buf.length;) {
    const newline = buf.indexOf(10, offset);
    const end = newline < 0 ? buf.length : newline;
    if (end > offset) lines.push({ offset, length: end - offset, text: buf.toString('utf8', offset, end) });
    offset = end + 1;
  }
  return { lines, byOffset: new Map(lines.map((l) => [l.offset, l])) };
}

/**
 * Storage states and lines of log objects. States are remembered for the whole check (one per object, not per
 * event); lines only for the last `KEPT_OBJECTS` objects, so a log of a million events is never held at once.
 */
export class CheckedObjects {
  private readonly states = new Map<string, Promise<ObjectState>>();
  private readonly kept = new Map<string, Promise<ObjectLines>>();
  /** Lines per object read so far, to tell later whether every line was accounted for by the index. */
  readonly lineCounts = new Map<string, number>();

  constructor(private readonly log: EventLog, private readonly archive: ArchiveTier) {}

  /** The object's state; asked of the archive tier once per object. */
  state(key: string): Promise<ObjectState> {
    let state = this.states.get(key);
    if (!state) {
      state = this.stateOf(key);
      this.states.set(key, state);
    }
    return state;
  }

  /**
   * The lines of a readable object (callers check `state` first: an archived object is never read), or undefined
   * when it is gone: compaction may remove an object between the listing or state and the read.
   */
  async linesIfPresent(key: string): Promise<ObjectLines | undefined> {
    try {
      return await this.lines(key);
    } catch (error) {
      if (error instanceof EventNotFoundError) return undefined;
      throw error;
    }
  }

  private lines(key: string): Promise<ObjectLines> {
    const cached = this.kept.get(key);
    if (cached) {
      // Re-inserted so the Map's order is least recently used first.
      this.kept.delete(key);
      this.kept.set(key, cached);
      return cached;
    }
    const read = this.read(key);
    this.kept.set(key, read);
    if (this.kept.size > KEPT_OBJECTS) this.kept.delete(this.kept.keys().next().value!);
    return read;
  }

  private async stateOf(key: string): Promise<ObjectState> {
    try {
      const [s] = await this.archive.storage([key]);
      if (!s || s.storageClass === 'STANDARD') return 'hot';
      return s.restore === 'RESTORED' ? 'restored' : 'archived';
    } catch (error) {
      if (error instanceof EventNotFoundError) return 'missing';
      throw error;
    }
  }

  private async read(key: string): Promise<ObjectLines> {
    const lines = this.log.readObjectBytes ? splitLines(await this.log.readObjectBytes(key)) : await this.viaReadObject(key);
    this.lineCounts.set(key, lines.lines.length);
    return lines;
  }

  /** For a log without `readObjectBytes`: its events where it says they are (parsed already, so none is torn). */
  private async viaReadObject(key: string): Promise<ObjectLines> {
    const lines: ObjectLine[] = [];
    for await (const { event, location } of this.log.readObject(key)) {
      const text = serializeEvent(event);
      lines.push({ offset: location.offset ?? 0, length: location.length ?? Buffer.byteLength(text), text });
    }
    return { lines, byOffset: new Map(lines.map((l) => [l.offset, l])) };
  }
}
