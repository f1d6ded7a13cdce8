// An HTTP server (buildServer) on a local eventlake whose `port` answers the named calls with a TransientError while
// `busy.now` is true: what a busy catalogue or a throttled store looks like to a request.

import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { buildServer } from '../../cli/server.ts';
import { TransientError } from '../../domain/errors.ts';
import { tempDir } from './tmp.ts';

export async function withBusyPort(
  port: string, calls: readonly string[], busyAtStart: boolean,
  fn: (app: ReturnType<typeof buildServer>, busy: { now: boolean }) => Promise<void>,
): Promise<void> {
  const busy = { now: busyAtStart };
  const local = await openLocalEventlake({
    dataDir: tempDir(),
    decorate: (name, wrapped) => (name !== port ? wrapped : new Proxy(wrapped, {
      get: (target, key, receiver) => (typeof key === 'string' && calls.includes(key) && busy.now
        ? () => Promise.reject(new TransientError(`the ${port} is busy (another process holds its lock); try again`))
        : Reflect.get(target, key, receiver)),
    })),
  });
  const app = buildServer(local);
  try {
    await fn(app, busy);
  } finally {
    await app.close();
    await local.close();
  }
}
