// Commands that only read refuse a `--data-dir` that is not a data dir: opening would create an empty one there and
// answer "nothing", which hides a mistyped path. They also refuse one that lost index.db: opening would make a new one
// from the ingest journal, which no longer names the events compaction moved into segments, so reads would answer
// from a partial index without a word (`eventlake repair index` rebuilds it from the objects instead).

import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * Throw `InvalidArgumentError` naming `--data-dir` when `dataDir` is no folder, a folder with neither index.db nor
 * the journal's catalogue (nothing eventlake wrote), or a data dir with a catalogue but no index.db (one that lost
 * it: the fix is `eventlake repair index`); creates nothing. A data dir missing only its catalogue is let through:
 * opening it rebuilds the catalogue from the journal, or names the fix when the journal no longer holds enough.
 * Uses `eventlake check`'s test, loaded only here (it brings SQLite, which a local open needs anyway).
 */
export async function requireDataDir(dataDir: string): Promise<void> {
  const [{ dataDirGaps }, { dataDirLayout }] = await Promise.all([import('../adapters/local/log-check.ts'), import('../adapters/local/layout.ts')]);
  const { root } = dataDirLayout(dataDir);
  const gaps = dataDirGaps(dataDirLayout(root));
  if (gaps.length === 1 && gaps[0] === 'index.db') {
    throw new InvalidArgumentError('--data-dir', `${root} has journal/catalogue.db but no index.db (it was lost or removed), and this command only ` +
      `reads, so it creates nothing: a new index.db made from the ingest journal would miss every event compaction moved. ` +
      `Stop every process using the data dir, then rebuild index.db from the objects: eventlake --data-dir ${root} repair index`);
  }
  if (gaps.length < 2 && !gaps.includes('folder')) return;
  const what = gaps.includes('folder') ? 'does not exist (or is not a folder)' : 'is not an eventlake data dir (it has no index.db and no journal/catalogue.db)';
  throw new InvalidArgumentError('--data-dir', `${root} ${what}, and this command only reads, so it creates nothing: point --data-dir (or EVENTLAKE_DATA_DIR) ` +
    `at the folder eventlake writes to, or make a data dir there first (eventlake demo --data-dir ${root}, or eventlake --data-dir ${root} emit FILE)`);
}
