// Whether a module is the one `node` was started with (`node --import tsx cli/main.ts …`, as `npm start` runs it).

import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Whether `moduleUrl` (a module's `import.meta.url`) is the script `node` was started with (`argv1`, `process.argv[1]`).
 * Why not `moduleUrl === \`file://${argv1}\``: a URL escapes what a path keeps raw (a space is `%20`, and `#`, `%`,
 * non-ASCII), so in a checkout under "My Projects" `npm start` did nothing and exited 0; and a symlinked path names the
 * file another way than the module's resolved URL.
 */
export function startedAsMain(moduleUrl: string, argv1: string | undefined): boolean {
  if (argv1 === undefined) return false;
  if (pathToFileURL(argv1).href === moduleUrl) return true;
  try {
    return pathToFileURL(realpathSync(argv1)).href === moduleUrl;
  } catch {
    return false;
  }
}
