// The refusal of a resend whose stored copy is archived and cannot be compared with it: indexed without a content
// digest, or with a digest of another SchemaVersion's bytes when the resend may be a retry at another version.

import { bareCommand, type SpellCommand } from './command-spelling.ts';
import { EventlakeError } from './eventlake-error.ts';

/** Why the stored copy cannot be compared without its bytes. */
export type UncomparableReason = 'no-digest' | 'other-version';

/**
 * An event whose identity is already stored, in an archived object (`key`, `storageClass`), that cannot be compared
 * with the copy sent without a restore: `no-digest`, an index older than content digests recorded it; `other-version`,
 * the copy sent may be a retry at another SchemaVersion (a duplicate when both upcast alike), which the digest of the
 * stored bytes cannot tell. Taking it for the same event could drop a correction silently; a new RequestId would book
 * a retry twice. Nothing of the input was stored. After the restore (or, for `no-digest` locally, a `repair index`,
 * which records the digest of every event it reads), the same input is answered `duplicate` or fails with
 * `EventConflictError`.
 */
export class ArchivedCopyUncomparableError extends EventlakeError {
  readonly code = 'EVENT_COPY_ARCHIVED';
  constructor(readonly eventId: string, readonly key: string, readonly storageClass: string, spell: SpellCommand = bareCommand,
    readonly reason: UncomparableReason = 'no-digest') {
    const restore = `nothing was stored: restore the object (${spell('restore', '--keys', key)}) and send the same input again once the ` +
      'restore completes; it is then answered duplicate, or EVENT_CONFLICT if its content differs';
    super(reason === 'no-digest'
      ? `event ${eventId} is already stored in ${key}, which is in ${storageClass} and was indexed without a content digest, ` +
        `so the event sent cannot be compared with it and ${restore}`
      : `event ${eventId} is already stored in ${key} with other bytes, and ${key} is in ${storageClass}, so whether the event ` +
        `sent is a retry of it at another SchemaVersion (taken as duplicate when both upcast alike) cannot be checked and ${restore}. ` +
        'Do not give it a new RequestId: if it is a retry, that books the operation twice');
  }

  /** The same error, its restore command spelled by `spell` (the CLI adds the global options given). */
  spelledWith(spell: SpellCommand): ArchivedCopyUncomparableError {
    return new ArchivedCopyUncomparableError(this.eventId, this.key, this.storageClass, spell, this.reason);
  }
}
