// Refusals of a generation named by its number that name the commands that fix them (a promotion no verification could
// make promotable, a drop of one that does not exist): bare here (the coordinator knows no CLI options), spelled by a
// caller that knows them (`spelledWith`).

import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';

/** Why a generation is never promoted. */
export type NotPromotableReason =
  /** It does not exist; `existing` lists those that do, as `N (state)`. */
  | { readonly kind: 'missing'; readonly existing: readonly string[] }
  /** It exists but no rebuild wrote it (a verification's scratch copy left behind, say). */
  | { readonly kind: 'unwritten' }
  /** Its rebuild ran under another projection version than the current one. */
  | { readonly kind: 'other-version'; readonly built: number; readonly current: number };

/**
 * A generation refused for promotion before any verification: INVALID_ARGUMENT naming `generation`. It carries the
 * projection, the generation and why, so that a CLI can spell the commands that fix it (`spelledWith`).
 */
export class NotPromotableError extends InvalidArgumentError {
  constructor(readonly projection: string, readonly generation: number, readonly reason: NotPromotableReason, spell: SpellCommand = bareCommand) {
    super('generation', refusal(projection, generation, reason, spell));
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): NotPromotableError {
    return new NotPromotableError(this.projection, this.generation, this.reason, spell);
  }
}

function refusal(name: string, generation: number, reason: NotPromotableReason, spell: SpellCommand): string {
  const drop = spell('generations', 'drop', String(generation), '--projection', name);
  switch (reason.kind) {
    case 'missing':
      return `${name} has no generation ${generation}; it has ${reason.existing.join(', ')} (${spell('generations', 'list', '--projection', name)})`;
    case 'unwritten':
      return `${name} generation ${generation} was written by no rebuild (a verification's scratch copy left behind, say): ` +
        `nothing says what it holds, so it is never promoted; drop it (${drop})`;
    case 'other-version':
      return `${name} generation ${generation} was rebuilt under projection version ${reason.built}, not the current version ${reason.current}: ` +
        `its state follows the old rules, so it is never promoted; rebuild it (${spell('rebuild', '--projection', name, '--from', 'T')}, T a time or 0) and drop it (${drop})`;
  }
}

/** A drop of a generation the projection does not have: INVALID_ARGUMENT naming `generation`. */
export class UnknownGenerationError extends InvalidArgumentError {
  constructor(readonly projection: string, readonly generation: number, spell: SpellCommand = bareCommand) {
    super('generation', `projection ${projection} has no generation ${generation}: ${spell('generations', 'list', '--projection', projection)} shows those it has`);
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): UnknownGenerationError {
    return new UnknownGenerationError(this.projection, this.generation, spell);
  }
}
