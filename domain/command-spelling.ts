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
 * `build(bare)`, an error whose message names commands, made `CommandNaming`: its `spelledWith(spell)` is
 * `build(spell)`. For errors of a general class (STORAGE_FAILED, INVALID_ARGUMENT…) whose fix is a command, so they
 * need no class of their own to be respelled. `bare` is how a library caller reads them (default `bareCommand`).
 *
 * @example
 * throw namingCommands((spell) => new StorageError(`…; run ${spell('repair', 'index')} again`));
 */
export function namingCommands<E extends Error>(build: (spell: SpellCommand) => E, bare: SpellCommand = bareCommand): E & CommandNaming {
  const error = build(bare);
  // Not enumerable: the error prints and serializes as the class built it.
  Object.defineProperty(error, 'spelledWith', { value: (spell: SpellCommand) => build(spell), enumerable: false });
  return error as E & CommandNaming;
}

/**
 * Whether `error` quotes the message of a cause that names commands (dispatch's TRANSIENT quotes the EVENT_ARCHIVED it
 * stopped at, restore command included), so respelling it respells the quote.
 */
function quotesCommands(error: unknown): error is Error & { cause: Error & CommandNaming } {
  return error instanceof Error && namesCommands(error.cause) && error.message.includes(error.cause.message);
}

/** Whether `respelled` has commands of `error` to spell: its own, or those of the cause it quotes. */
export function hasCommands(error: unknown): boolean {
  return namesCommands(error) || quotesCommands(error);
}

/**
 * `error` with its commands spelled by `spell` when it names some or quotes a cause that does, else `error` as it is.
 *
 * @example
 * catch (error) { throw respelled(error, followUp(opts)); }
 */
export function respelled(error: unknown, spell: SpellCommand): unknown {
  if (namesCommands(error)) return error.spelledWith(spell);
  if (!quotesCommands(error)) return error;
  const cause = error.cause.spelledWith(spell);
  // The same class, code and fields: only the quote and the cause change.
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as Error;
  Object.defineProperty(copy, 'message', { value: error.message.replace(error.cause.message, cause.message), enumerable: false, writable: true, configurable: true });
  Object.defineProperty(copy, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return copy;
}
