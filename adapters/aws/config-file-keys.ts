// The keys of an eventlake.json that the CLI reads itself (target, schemaFolders, extensions), as the library meets
// them: the stack's CliConfig output carries "target": "aws", and the docs say a parsed file can be given to
// awsConfigFrom or openAwsEventlake as it is, so these keys are understood there too rather than refused as unknown.

import { InvalidArgumentError } from '../../domain/errors.ts';

/** The keys a config file holds for the CLI alone. */
export const FILE_ONLY_KEYS: readonly string[] = ['target', 'schemaFolders', 'extensions'];

/**
 * Check the CLI's own keys of `settings` (found in `where`) and return the rest with the file's schema folders:
 * `target` must be "aws" (these functions open nothing else); `extensions` is refused with what a library does instead
 * (silently ignoring it would open the lake without the user's rules).
 */
export function withoutFileOnlyKeys(settings: Record<string, unknown>, where: string): { rest: Record<string, unknown>; schemaFolders?: readonly string[] } {
  const { target, schemaFolders, extensions, ...rest } = settings;
  if (target !== undefined && target !== 'aws') {
    throw new InvalidArgumentError('target', `${JSON.stringify(target)} in ${where}: this opens the AWS target only; set "target": "aws", or open a local data dir with openLocalEventlake`);
  }
  if (extensions !== undefined) {
    throw new InvalidArgumentError('extensions', `in ${where}: a module path the CLI imports; a library imports that module itself and passes its balanceRules and projections to openAwsEventlake: leave "extensions" out of what you pass here`);
  }
  if (schemaFolders === undefined) return { rest };
  if (!Array.isArray(schemaFolders) || !schemaFolders.every((f) => typeof f === 'string' && f !== '')) {
    throw new InvalidArgumentError('schemaFolders', `must be a list of folder paths in ${where}, e.g. ["./schemas"]; got ${JSON.stringify(schemaFolders)}`);
  }
  return { rest, schemaFolders: schemaFolders as string[] };
}
