// The conflict an append meets when the catalogue holds its identity under another hour (a RequestId reused with
// another EventTimeStamp), named by where the stored copy is.

import { partitionPrefix } from '../../domain/event.ts';
import { EventConflictError, StorageError } from '../../domain/errors.ts';
import { hourOfKey } from './catalogue-key.ts';
import type { CatalogueRecord } from './sqlite-log-catalogue.ts';
import type { StoredEvents } from './stored-event.ts';

/**
 * The conflict of an identity the catalogue holds in another hour, naming where it is stored. Why always a conflict:
 * the hour comes from EventTimeStamp, so the contents differ. Why here, under the lock: emit's look in index.db before
 * it missed a copy appended but not indexed yet (two emits at once both stored, one in each hour).
 */
export function otherHour(stored: StoredEvents, id: string, at: CatalogueRecord): EventConflictError {
  const hour = partitionPrefix(hourOfKey(at.key));
  let key = `${hour}${id}`;
  try {
    key = stored.find(at.journalOffset, id, hour)?.location.key ?? key;
  } catch (error) {
    // Its bytes are gone (a removed object): the conflict still stands, named by its hour.
    if (!(error instanceof StorageError)) throw error;
  }
  return new EventConflictError(id, key);
}
