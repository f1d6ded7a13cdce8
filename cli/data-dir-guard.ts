// Commands that only read refuse a `--data-dir` that is not a data dir: opening would create an empty one there and
// answer "nothing", which hides a mistyped path.

import { InvalidArgumentError } from '../domain/errors.ts';

/**
 * Throw `InvalidArgumentError` naming `--data-dir` when `dataDir` is no folder, or a folder with neither index.db nor
 * the journal's catalogue (nothing eventlake wrote); creates nothing. A data dir missing only one of them is let
 * through: opening it recovers what it can, and `eventlake check` / `repair` report the rest.
 * Uses `eventlake check`'s test, loaded only here (it brings SQLite, which a local open needs anyway).
 */
export async function requireDataDir(dataDir: string): Promise<void> {
  const [{ dataDirGaps }, { dataDirLayout }] = await Promise.all([import('../adapters/local/log-check.ts'), import('../adapters/local/layout.ts')]);
  const { root } = dataDirLayout(dataDir);
  const gaps = dataDirGaps(dataDirLayout(root));
  if (gaps.length < 2 && !gaps.includes('folder')) return;
  const what = gaps.includes('folder') ? 'does not exist (or is not a folder)' : 'is not an eventlake data dir (it has no index.db and no journal/catalogue.db)';
  throw new InvalidArgumentError('--data-dir', `${root} ${what}, and this command only reads, so it creates nothing: point --data-dir (or EVENTLAKE_DATA_DIR) ` +
    `at the folder eventlake writes to, or make a data dir there first (eventlake demo --data-dir ${root}, or eventlake --data-dir ${root} emit FILE)`);
}
