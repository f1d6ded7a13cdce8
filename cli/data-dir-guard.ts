// Commands that only read refuse a `--data-dir` that is not a data dir: opening would create an empty one there and
// answer "nothing", which hides a mistyped path. A data dir that lost index.db is refused by the opener itself
// (openLocalEventlake, for every command and API user); it is asked here first only so a read command refuses it
// before loading the user's extensions, with the same error. Every command refuses a path no folder can be at, and a
// command that only writes refuses a data dir it opened read-only.

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import { dataDirPathProblem } from '../adapters/local/data-dir-path.ts';
import { dataDirLayout, DEFAULT_DATA_DIR } from '../adapters/local/layout.ts';
import { followUp, shellWord } from './follow-up.ts';
import type { TargetOptions } from './target.ts';

/**
 * Throw `InvalidArgumentError` naming `--data-dir` when no folder can be at `dataDir` (a file, a path under a file, a
 * symlink to nothing). Why the CLI asks before opening: openLocalEventlake refuses these too, but in the API's words
 * (`dataDir`, `{ dataDir: ... }`), which a CLI user cannot act on. Creates nothing.
 */
export function refuseUnusableDataDir(dataDir: string): void {
  const problem = dataDirPathProblem(dataDir);
  if (problem === undefined) return;
  throw new InvalidArgumentError('--data-dir', `${dataDir} ${problem}; nothing was created: point --data-dir (or EVENTLAKE_DATA_DIR) at the folder ` +
    `eventlake writes to (made when missing), e.g. --data-dir ${DEFAULT_DATA_DIR}`);
}

/**
 * Throw `InvalidArgumentError` naming `--data-dir` when `opts.dataDir` is no folder (`refuseUnusableDataDir` first), or a
 * folder with neither index.db nor the journal's catalogue (nothing eventlake wrote); `IndexLostError` when it holds
 * events but lost index.db (the fix is `eventlake repair index`). Creates nothing. A data dir missing only its catalogue
 * is let through: opening it rebuilds the catalogue from the journal, or names the fix when the journal no longer holds enough.
 * The `emit` it suggests repeats the global options of `opts` (read from `env` as followUp does): without `--schemas`
 * or `--extensions`, an emit of the user's own event types is refused. Uses `eventlake check`'s test (data-dir-gaps.ts,
 * without the rest of the check), loaded only when a command reads a local data dir.
 */
export async function requireDataDir(opts: TargetOptions, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  const { dataDir } = opts;
  refuseUnusableDataDir(dataDir);
  const [{ dataDirGaps }, { refuseLostIndex }] = await Promise.all([import('../adapters/local/data-dir-gaps.ts'), import('../adapters/local/lost-index-guard.ts')]);
  const layout = dataDirLayout(dataDir);
  const gaps = dataDirGaps(layout);
  refuseLostIndex(layout);
  if (gaps.length < 2 && !gaps.includes('folder')) return;
  const what = gaps.includes('folder') ? 'does not exist' : 'is not an eventlake data dir (it has no index.db and no journal/catalogue.db)';
  throw new InvalidArgumentError('--data-dir', `${layout.root} ${what}, and this command only reads, so it creates nothing: point --data-dir (or EVENTLAKE_DATA_DIR) ` +
    `at the folder eventlake writes to, or make a data dir there first (eventlake demo --data-dir ${shellWord(layout.root)}, or ${followUp(opts, env)('emit', 'FILE')})`);
}

/**
 * Close `local` and throw the error it refuses writes with (`DataDirNotWritableError`, or `DataDirForeignOwnerError`
 * for another user's data dir), naming `doing`, when it was opened read-only; nothing when it takes writes. Why: a
 * command that only writes (`run`) otherwise sat idle on such a data dir, its every catch-up answering "nothing to do".
 */
export async function refuseReadOnlyWriter(local: Pick<LocalEventlake, 'close'>, doing: string): Promise<void> {
  // Loaded here: the read-only opener brings SQLite, which a command refusing a bad --data-dir never needs.
  const { writeRefusal } = await import('../adapters/local/open-read-only.ts');
  const refused = writeRefusal(local, doing);
  if (refused === undefined) return;
  await local.close();
  throw refused;
}
