// The soak's count of the log as stored on disk: every object and event line in the hot and archived folders, read
// from the files themselves rather than through the log or its index, which the soak reconciles against it.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventId, type DomainEvent } from '../domain/event.ts';

/** Objects and event lines stored in the log folders (hot and archived), and the distinct identities among them. */
export function countLog(dataDir: string): { objects: number; lines: number; distinct: number } {
  const ids = new Set<string>();
  let objects = 0;
  let lines = 0;
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (name.endsWith('.event') || name.endsWith('.ndjson')) {
        objects++;
        for (const line of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
          lines++;
          ids.add(eventId(JSON.parse(line) as DomainEvent));
        }
      } else if (!name.includes('.')) walk(path);
    }
  };
  for (const root of [join(dataDir, 'events'), join(dataDir, 'archive', 'GLACIER', 'events'), join(dataDir, 'archive', 'DEEP_ARCHIVE', 'events')]) walk(root);
  return { objects, lines, distinct: ids.size };
}
