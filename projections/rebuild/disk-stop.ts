// What a rebuild stopped by a full disk says it kept, and how it goes on.

import { StorageFullError } from '../../domain/errors.ts';

/**
 * A full disk's error, saying what the rebuild kept. Why the same rebuild resumes: the failed batch or checkpoint was
 * rolled back (the store writes each in one transaction), so the generation stays unfinished at its last checkpoint and
 * the rebuild run again takes it over from there.
 */
export function diskStop(error: StorageFullError, projection: string, generation: number): StorageFullError {
  return new StorageFullError(error.where, `${error.message}. The rebuild keeps generation ${generation} of ${projection} ` +
    'unfinished at its last checkpoint (its lease is freed): the same rebuild, run again once space is freed, continues it from there', { cause: error });
}
