// Whether a path is a data dir eventlake wrote, told from the files it must hold. Its own module so that the CLI's
// read commands can refuse a mistyped --data-dir without loading `eventlake check` (log-check.ts), which shares it.

import type { DataDirLayout } from './layout.ts';
import { NOT_OPENED, statOrRefuse } from './log-check-unreadable.ts';

/**
 * What `layout.root` lacks to be a data dir eventlake wrote, touching nothing: `['folder']` when it is no folder,
 * else those of `index.db` and `journal/catalogue.db` it has not (empty: it is one). Shared with the CLI's read commands.
 * A data dir the running user cannot enter throws `StorageError` (its owner's uid, the fix), not a gap: it is there.
 */
export function dataDirGaps(layout: DataDirLayout): ('folder' | 'index.db' | 'journal/catalogue.db')[] {
  if (!(statOrRefuse(layout.root, NOT_OPENED)?.isDirectory() ?? false)) return ['folder'];
  const files = [[layout.indexDb, 'index.db'], [layout.logCatalogue, 'journal/catalogue.db']] as const;
  return files.filter(([file]) => !statOrRefuse(file, NOT_OPENED)?.isFile()).map(([, what]) => what);
}
