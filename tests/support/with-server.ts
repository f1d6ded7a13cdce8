// The HTTP API (cli/server.ts) of a fresh local eventlake for one test, for `app.inject` requests.

import { buildServer } from '../../cli/server.ts';
import { withLake } from './with-lake.ts';

/** Run `fn` with the HTTP API of a lake on a new temp data dir; the server is closed before the lake. */
export const withServer = (fn: (app: ReturnType<typeof buildServer>) => Promise<void>): Promise<void> => withLake(async (local) => {
  const app = buildServer(local);
  await fn(app).finally(() => app.close());
});
