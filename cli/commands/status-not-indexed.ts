// `eventlake status` on a local data dir: the events durable in the journal that index.db does not count yet.

import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { JournalNotIndexed } from '../../adapters/local/journal-not-indexed.ts';
import { StorageError } from '../../domain/errors.ts';

/** The count, or why the journal could not be read for it (status still answers the rest). */
export type NotIndexed = JournalNotIndexed | { readonly unreadable: string };

/** The index port as the local adapters implement it: with the named cursors the indexer keeps. */
interface WithCursor {
  cursor?: (name: string) => Promise<number>;
}

/**
 * The journal's events past the indexer's cursor, for a local runtime (writable or read-only: neither reads more than
 * the journal files, and neither takes a lock); undefined on AWS or for an index without cursors. Why status needs it:
 * it opens the data dir without a catch-up, so after an emit killed before indexing (or before recording) its events,
 * `events` counted fewer than are stored. An unreadable journal file is told, not thrown: status answers the rest.
 */
export async function notIndexedOf(runtime: LocalEventlake): Promise<NotIndexed | undefined> {
  const index = runtime.index as WithCursor;
  if (runtime.target !== 'local' || typeof index.cursor !== 'function') return undefined;
  const [{ journalNotIndexed }, { INDEXER_CURSOR }, { dataDirLayout }] = await Promise.all([
    import('../../adapters/local/journal-not-indexed.ts'), import('../../adapters/local/local-indexer.ts'), import('../../adapters/local/layout.ts'),
  ]);
  const cursor = await index.cursor(INDEXER_CURSOR);
  try {
    return journalNotIndexed(dataDirLayout(runtime.dataDir), cursor);
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    return { unreadable: error.message };
  }
}

/** The `--json` fields: `journalNotIndexed` ({ events, indexerCursor, journalEnd }), or `journalNotIndexedUnreadable`. */
export function notIndexedJson(notIndexed: NotIndexed | undefined): Record<string, unknown> {
  if (notIndexed === undefined) return {};
  return 'unreadable' in notIndexed ? { journalNotIndexedUnreadable: notIndexed.unreadable } : { journalNotIndexed: notIndexed };
}
