// How an error spells the eventlake commands that fix it. Below the CLI nothing knows the global options the user gave
// (--data-dir, --schemas, ...), so an error names its commands bare, and a caller that knows them (the CLI's followUp)
// asks for the same error with them spelled its way.

/** Renders `eventlake ARGS…` as a caller runs it (the CLI adds its global options); see cli/follow-up.ts. */
export type SpellCommand = (...args: string[]) => string;

/**
 * The command as words, without options: what a library caller, which runs no CLI, reads.
 *
 * @example
 * bareCommand('generations', 'list'); // 'eventlake generations list'
 */
export const bareCommand: SpellCommand = (...args) => ['eventlake', ...args].join(' ');

/**
 * An error whose message names eventlake commands, and which can name them as a caller spells them. Matched by shape
 * (`namesCommands`), so error classes declare only the method: their declarations stay `class X extends Y {`.
 */
export interface CommandNaming {
  /** The same error, its commands spelled by `spell`. */
  spelledWith(spell: SpellCommand): Error;
}

/** Whether `error` names commands a caller can spell (`CommandNaming`). */
export function namesCommands(error: unknown): error is Error & CommandNaming {
  return error instanceof Error && typeof (error as Partial<CommandNaming>).spelledWith === 'function';
}

/**
 * `error` with its commands spelled by `spell` when it names some, else `error` as it is.
 *
 * @example
 * catch (error) { throw respelled(error, followUp(opts)); }
 */
export function respelled(error: unknown, spell: SpellCommand): unknown {
  return namesCommands(error) ? error.spelledWith(spell) : error;
}
