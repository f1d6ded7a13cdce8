// The refusal of a resend whose stored copy is archived and was indexed without a content digest.

import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError } from './eventlake-error.ts';

/**
 * An event whose identity is already stored, in an archived object (`key`, `storageClass`) that an index older than
 * content digests recorded: the stored copy cannot be compared with the one sent without a restore, and taking it for
 * the same event could drop a correction silently. Nothing of the input was stored. After the restore (or, locally, a
 * `repair index`, which records the digest of every event it reads), the same input is answered `duplicate` or fails
 * with `EventConflictError`.
 */
export class ArchivedCopyUncomparableError extends EventlakeError {
  readonly code = 'EVENT_COPY_ARCHIVED';
  constructor(readonly eventId: string, readonly key: string, readonly storageClass: string, spell: SpellCommand = bareCommand) {
    super(`event ${eventId} is already stored in ${key}, which is in ${storageClass} and was indexed without a content digest, ` +
      `so the event sent cannot be compared with it and nothing was stored: restore the object (${spell('restore', '--keys', key)}) ` +
      'and send the same input again once the restore completes; it is then answered duplicate, or EVENT_CONFLICT if its content differs');
  }

  /** The same error, its restore command spelled by `spell` (the CLI adds the global options given). */
  spelledWith(spell: SpellCommand): ArchivedCopyUncomparableError {
    return new ArchivedCopyUncomparableError(this.eventId, this.key, this.storageClass, spell);
  }
}
