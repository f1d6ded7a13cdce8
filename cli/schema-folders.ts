// Where user schema folders come from: `--schemas DIR` (repeatable), else EVENTLAKE_SCHEMAS.

import { delimiter, resolve } from 'node:path';

/**
 * The user's schema folders, absolute and without repeats: the `--schemas` values when any were given, else the
 * EVENTLAKE_SCHEMAS list (separated by the platform's path delimiter, `:` or `;`), else none.
 *
 * @example
 * schemaFoldersFrom(command.optsWithGlobals(), process.env); // ['/home/me/app/schemas']
 */
export function schemaFoldersFrom(opts: { readonly schemas?: string | readonly string[] }, env: NodeJS.ProcessEnv = process.env): string[] {
  const given = typeof opts.schemas === 'string' ? [opts.schemas] : [...(opts.schemas ?? [])];
  const folders = given.length > 0 ? given : (env['EVENTLAKE_SCHEMAS'] ?? '').split(delimiter);
  return [...new Set(folders.map((f) => f.trim()).filter(Boolean).map((f) => resolve(f)))];
}
