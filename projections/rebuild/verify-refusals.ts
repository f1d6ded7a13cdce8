// Refusals of a verification that name the commands to run instead (generations list, snapshot take or list): bare
// here (the coordinator knows no CLI options), spelled by a caller that knows them (`spelledWith`).

import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** A generation that is neither live nor a rebuild's: no mark says how far it holds the log. INVALID_ARGUMENT on `generation`. */
export class UnverifiableGenerationError extends InvalidArgumentError {
  constructor(readonly projection: string, readonly generation: number, readonly live: number, spell: SpellCommand = bareCommand) {
    super('generation', `${projection} generation ${generation} is neither live (${live}) nor a rebuild's, so it has no mark to verify at: ` +
      `${spell('generations', 'list')} shows the ones to verify`);
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): UnverifiableGenerationError {
    return new UnverifiableGenerationError(this.projection, this.generation, this.live, spell);
  }
}

/** Why no snapshot fits: those taken can no longer be restored, none is taken, or none as early as the time given. */
export type NoSnapshotReason =
  | { readonly kind: 'unrestorable'; readonly taken: number }
  | { readonly kind: 'none-taken' }
  | { readonly kind: 'too-early'; readonly oldest: number };

/**
 * No snapshot to verify against, naming the option that chose none (`snapshotAt` when a time was given, else
 * `against`) and what to do: a later time, the newest, the log, or a snapshot taken first.
 */
export class NoSnapshotToVerifyError extends InvalidArgumentError {
  constructor(readonly projection: string, readonly snapshotAt: number | undefined, readonly reason: NoSnapshotReason, spell: SpellCommand = bareCommand) {
    super(snapshotAt === undefined ? 'against' : 'snapshotAt', noSnapshot(projection, snapshotAt, reason, spell));
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): NoSnapshotToVerifyError {
    return new NoSnapshotToVerifyError(this.projection, this.snapshotAt, this.reason, spell);
  }
}

function noSnapshot(name: string, snapshotAt: number | undefined, reason: NoSnapshotReason, spell: SpellCommand): string {
  const when = snapshotAt === undefined ? '' : ` at or before ${new Date(snapshotAt).toISOString()}`;
  switch (reason.kind) {
    case 'unrestorable': {
      const fix = snapshotAt === undefined ? `take one (${spell('snapshot', 'take')})` : 'give a later time, leave the time out for the newest restorable one';
      return `no snapshot of ${name}${when} can be restored to verify against: the ${reason.taken} taken${when} can no longer ` +
        `be restored (${spell('snapshot', 'list')} shows why): ${fix}, or verify against the log`;
    }
    case 'none-taken':
      return `no snapshot of ${name} is taken yet to verify against: take one first (${spell('snapshot', 'take')}), or verify against the log`;
    case 'too-early':
      return `no snapshot of ${name} was taken${when} (the oldest was taken at ${new Date(reason.oldest).toISOString()}; ` +
        `${spell('snapshot', 'list')} shows them): give a time at or after it, leave the time out for the newest, or verify against the log`;
  }
}
