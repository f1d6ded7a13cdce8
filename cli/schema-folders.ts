// Where user schema folders come from: `--schemas DIR` (repeatable), else EVENTLAKE_SCHEMAS.

import { delimiter, resolve } from 'node:path';
import { assertSchemaFolders } from '../schemas/schema-file.ts';

/**
 * The user's schema folders, absolute and without repeats: the `--schemas` values when any were given, else the
 * EVENTLAKE_SCHEMAS list (separated by the platform's path delimiter, `:` or `;`), else none.
 *
 * @example
 * schemaFoldersFrom(command.optsWithGlobals(), process.env); // ['/home/me/app/schemas']
 */
export function schemaFoldersFrom(opts: { readonly schemas?: string | readonly string[] }, env: NodeJS.ProcessEnv = process.env): string[] {
  return foldersAndOrigin(opts, env).folders;
}

/**
 * `schemaFoldersFrom`, refusing (InvalidArgumentError naming `--schemas`, or EVENTLAKE_SCHEMAS when the folders came
 * from there) a folder that does not exist or is a file. Why here: later, the registry cannot tell the routes apart.
 *
 * @example
 * checkedSchemaFolders({ schemas: ['./schemas'] }); // ['/home/me/app/schemas'], or throws naming --schemas
 */
export function checkedSchemaFolders(opts: { readonly schemas?: string | readonly string[] }, env: NodeJS.ProcessEnv = process.env): string[] {
  const { folders, argument } = foldersAndOrigin(opts, env);
  assertSchemaFolders(folders, { argument, relativeTo: 'the current directory' });
  return folders;
}

function foldersAndOrigin(opts: { readonly schemas?: string | readonly string[] }, env: NodeJS.ProcessEnv): { folders: string[]; argument: string } {
  const given = typeof opts.schemas === 'string' ? [opts.schemas] : [...(opts.schemas ?? [])];
  const [argument, folders] = given.length > 0 ? ['--schemas', given] : ['EVENTLAKE_SCHEMAS', (env['EVENTLAKE_SCHEMAS'] ?? '').split(delimiter)];
  return { folders: [...new Set(folders.map((f) => f.trim()).filter(Boolean).map((f) => resolve(f)))], argument };
}
