// Commands that only read refuse a `--data-dir` that is not a data dir: opening would create an empty one there and
// answer "nothing", which hides a mistyped path. A data dir that lost index.db is refused by the opener itself
// (openLocalEventlake, for every command and API user); it is asked here first only so a read command refuses it
// before loading the user's extensions, with the same error.

import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * Throw `InvalidArgumentError` naming `--data-dir` when `dataDir` is no folder, or a folder with neither index.db nor
 * the journal's catalogue (nothing eventlake wrote); `IndexLostError` when it holds events but lost index.db (the fix
 * is `eventlake repair index`). Creates nothing. A data dir missing only its catalogue is let through: opening it
 * rebuilds the catalogue from the journal, or names the fix when the journal no longer holds enough.
 * Uses `eventlake check`'s test, loaded only here (it brings SQLite, which a local open needs anyway).
 */
export async function requireDataDir(dataDir: string): Promise<void> {
  const [{ dataDirGaps }, { dataDirLayout }, { refuseLostIndex }] = await Promise.all([
    import('../adapters/local/log-check.ts'), import('../adapters/local/layout.ts'), import('../adapters/local/lost-index-guard.ts'),
  ]);
  const layout = dataDirLayout(dataDir);
  const gaps = dataDirGaps(layout);
  refuseLostIndex(layout);
  if (gaps.length < 2 && !gaps.includes('folder')) return;
  const what = gaps.includes('folder') ? 'does not exist (or is not a folder)' : 'is not an eventlake data dir (it has no index.db and no journal/catalogue.db)';
  throw new InvalidArgumentError('--data-dir', `${layout.root} ${what}, and this command only reads, so it creates nothing: point --data-dir (or EVENTLAKE_DATA_DIR) ` +
    `at the folder eventlake writes to, or make a data dir there first (eventlake demo --data-dir ${layout.root}, or eventlake --data-dir ${layout.root} emit FILE)`);
}
