// A local eventlake whose projections.db cannot grow: SQLite's max_page_count gives the SQLITE_FULL of a full disk,
// with no mount (CI runs unprivileged), and raising it again is "freeing space".

import type { Database } from 'better-sqlite3';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { variant } from './samples.ts';
import { tempDir } from './tmp.ts';

/** The account every deposit of `deposits` credits. */
export const FULL_DISK_ACCOUNT = 'DE44-5001-0517';

/** `n` deposits of 1.00 with distinct RequestIds from number `from`. */
export const deposits = (from: number, n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) =>
  variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(from + i).padStart(12, '0')}`, Amount: '1.00', Currency: { '1-euro-bills': 1 } }));

/** A lake with 10 deposits applied, then its projections.db held at its size; catch-up errors are collected. */
export async function lakeWithFullProjectionsDb(): Promise<{ local: LocalEventlake; catchUpErrors: unknown[]; freeSpace: () => void }> {
  let db: Database | undefined;
  const catchUpErrors: unknown[] = [];
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    // The store's own connection: a second one could not stop the store's writes.
    decorate: (name, port) => {
      if (name === 'store') db = (port as unknown as { db: Database }).db;
      return port;
    },
    onCatchUpError: (error) => catchUpErrors.push(error),
  });
  await local.lake.emit(deposits(0, 10));
  const sqlite = db!;
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
  return { local, catchUpErrors, freeSpace: () => void sqlite.pragma('max_page_count = 1073741823') };
}
