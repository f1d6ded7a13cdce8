// An archive/ this user cannot read, injected (no root, no chmod: root ignores file modes): linking the archived
// copy of chosen keys fails with EACCES, as link(2) does under a folder of another user with mode 0700.

import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

/** Run `fn` while linking an archived file of one of the `refused` keys fails with EACCES. */
export async function withLinksRefused<T>(refused: readonly string[], fn: () => Promise<T>): Promise<T> {
  const { link } = fsp;
  fsp.link = (async (from: string, to: string) => {
    if (!refused.some((key) => String(from).endsWith(key))) return link(from, to);
    throw Object.assign(new Error(`EACCES: permission denied, link '${from}' -> '${to}'`), { code: 'EACCES', syscall: 'link', path: from, dest: to });
  }) as typeof fsp.link;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    fsp.link = link;
    syncBuiltinESMExports();
  }
}
