// A simulated power cut on a local data dir: event files created after the last durable checkpoint were never
// fsynced, so the cut may lose them or leave them torn. The journal (fsynced before every acknowledgement) stays.

import { existsSync, readdirSync, readFileSync, truncateSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Lose or tear (alternately) the event file of every journal line after the materialized marker; returns how many. */
export function cutPower(dataDir: string): number {
  const journalDir = join(dataDir, 'journal');
  const marker = Math.max(0, ...readdirSync(journalDir).filter((n) => n.startsWith('materialized.')).map((n) => Number(n.slice('materialized.'.length))));
  const text = readFileSync(join(journalDir, 'ingest.log')).subarray(marker).toString('utf8');
  let torn = 0;
  for (const line of text.split('\n')) {
    const key = line.split('\t')[0];
    if (!key?.startsWith('events/')) continue;
    const path = join(dataDir, key);
    if (!existsSync(path)) continue;
    if (torn % 2 === 0) unlinkSync(path);
    else truncateSync(path, Math.floor(readFileSync(path).length / 2));
    torn++;
  }
  return torn;
}
