// The server the http-odd tests ask: a fresh data dir, the API built on it, closed after.

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { tempDir } from '../support/tmp.ts';

export type App = ReturnType<typeof buildServer>;

/** Run `fn` against `buildServer` on a fresh data dir, then close both. */
export async function withServer(fn: (app: App) => Promise<void>): Promise<void> {
  const local = await openLocalEventlake({ dataDir: tempDir() });
  const app = buildServer(local);
  try {
    await fn(app);
  } finally {
    await app.close();
    await local.close();
  }
}
