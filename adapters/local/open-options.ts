// What every opener of a local data dir checks first, before anything touches it: the dataDir option and the schemas.

import { resolve } from 'node:path';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { describeValue, isOptionsObject, KIND, refuseUnknownKeys, refuseWrongKinds, type OptionKind } from '../../domain/known-keys.ts';
import { assertBuiltinRulesFit } from '../../projections/builtin-rule-coverage.ts';
import type { LocalEventlakeOptions } from '../../projections/runtime.ts';
import { SchemaRegistry } from '../../schemas/registry.ts';
import { assertSchemaFolders } from '../../schemas/schema-file.ts';
import { dataDirPathProblem } from './data-dir-path.ts';
import { DEFAULT_DATA_DIR } from './layout.ts';
import { isReadOnlyRoot } from './sqlite-private-copy.ts';

// Records over the option types' keys: an option added to LocalEventlakeOptions and not here fails to compile.
const OPEN_KEYS = {
  dataDir: 1, schemaFolders: 1, restoreDelayMs: 1, now: 1, balanceRules: 1, upcasters: 1, projections: 1, decorate: 1,
  onCatchUpError: 1, dispatch: 1,
} as const satisfies Record<keyof LocalEventlakeOptions, 1>;
const DISPATCH_KEYS = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } as const satisfies Record<keyof NonNullable<LocalEventlakeOptions['dispatch']>, 1>;

/** What each option other than dataDir and schemaFolders (checked by their own functions) must be. */
const KINDS: Readonly<Record<string, OptionKind>> = {
  now: KIND.function('a function answering epoch ms, such as Date.now'),
  decorate: KIND.function('a function (name, port) => port'),
  onCatchUpError: KIND.function('a function (error) => void'),
  balanceRules: KIND.object('an object of balance rules by event type, such as { outgoing_payment: rule }'),
  upcasters: KIND.array('an array of upcaster steps'),
  projections: KIND.array('an array of projections'),
  restoreDelayMs: KIND.number('a number of milliseconds >= 0', 0),
  dispatch: KIND.object(`an object with ${Object.keys(DISPATCH_KEYS).join(', ')}`),
};
const DISPATCH_KINDS: Readonly<Record<string, OptionKind>> = {
  maxAttempts: KIND.number('a whole number >= 1', 1, true),
  baseDelayMs: KIND.number('a number of milliseconds >= 0', 0),
  maxDelayMs: KIND.number('a number of milliseconds >= 0', 0),
};

/**
 * Refuse (`InvalidArgumentError` naming the option) options `opener` cannot use as given: not an object, an unknown
 * key (also in `dispatch`), a value of the wrong type, a dataDir that names no folder. Why: a misspelt or mistyped
 * option was silently ignored (`schemaFolder` opened the lake without the user's schemas) or failed deep inside with
 * a bare TypeError. Missing options read as `{}`, so they are told as the missing dataDir they are.
 *
 * @example
 * assertOpenOptions({ dataDir: '.eventlake', schemaFolder: ['x'] }, 'openLocalEventlake'); // schemaFolder: unknown key … (did you mean schemaFolders?)
 */
export function assertOpenOptions(options: unknown, opener: string): asserts options is LocalEventlakeOptions {
  const given = options ?? {};
  if (!isOptionsObject(given)) {
    throw new InvalidArgumentError('options', `${opener} takes an options object such as { dataDir: '${DEFAULT_DATA_DIR}' }, got ${describeValue(given)}`);
  }
  const where = `the options of ${opener}`;
  refuseUnknownKeys(given, Object.keys(OPEN_KEYS), where);
  assertDataDirOption(given['dataDir']);
  refuseWrongKinds(given, KINDS);
  const dispatch = given['dispatch'];
  if (!isOptionsObject(dispatch)) return;
  refuseUnknownKeys(dispatch, Object.keys(DISPATCH_KEYS), where, 'dispatch.');
  refuseWrongKinds(dispatch, DISPATCH_KINDS, 'dispatch.');
}

/**
 * The schema registry of `options`, checked before anything touches the data dir: a breaking bump without an upcaster,
 * a built-in type whose built-in rules do not fit the schemas or `balanceRules` (`BuiltinRulesUnfitError`).
 */
export function loadRegistry(options: LocalEventlakeOptions, now: () => number): SchemaRegistry {
  // Named as the API names it: the registry's own refusal cannot tell this route from the CLI's.
  assertSchemaFolders(options.schemaFolders ?? [], { argument: 'schemaFolders', relativeTo: 'the current directory' });
  const registry = SchemaRegistry.load({ folders: options.schemaFolders ?? [], upcasters: options.upcasters ?? [], now: () => Math.floor(now() / 1000) });
  registry.assertEvolvable();
  assertBuiltinRulesFit(registry, options.balanceRules ?? {});
  return registry;
}

/**
 * Why: `resolve('')` is the current directory, so an empty dataDir (an unset variable) made the project folder a data
 * dir; a file there failed deep in mkdir with a raw EEXIST or ENOTDIR, after the registry was loaded.
 */
export function assertDataDirOption(dataDir: unknown): void {
  const fix = `give the folder eventlake writes to (created when missing), e.g. { dataDir: '${DEFAULT_DATA_DIR}' }`;
  if (typeof dataDir !== 'string' || dataDir.trim() === '') {
    const given = dataDir === undefined ? 'is missing' : `is ${JSON.stringify(dataDir) ?? String(dataDir)}`;
    throw new InvalidArgumentError('dataDir', `${given}, which names no folder (an empty path would be the current directory): ${fix}`);
  }
  // Only a shell expands ~: Node made a folder named "~" in the current directory.
  if (dataDir.startsWith('~')) {
    throw new InvalidArgumentError('dataDir', `${JSON.stringify(dataDir)} starts with ~, which only a shell expands (it would be a folder named ~ in ` +
      `${process.cwd()}): give join(os.homedir(), '${dataDir.replace(/^~[^/\\]*[/\\]?/, '')}') for the home folder, or './${dataDir}' for a folder named so`);
  }
  // The API's words: a CLI user is told about --data-dir by the CLI, which asks dataDirPathProblem itself first.
  const problem = dataDirPathProblem(dataDir);
  if (problem !== undefined) throw new InvalidArgumentError('dataDir', `${resolve(dataDir)} ${problem}: ${fix}`);
}

/**
 * Refuse to open `root` for writing while this process has it open read-only: its databases are then opened as
 * private copies in memory (`markReadOnly`), so writes would answer as made and be lost at close.
 */
export function refuseOpenReadOnly(root: string): void {
  if (!isReadOnlyRoot(root)) return;
  throw new InvalidArgumentError('dataDir', `${root} is open read-only in this process (openReadOnlyLocalEventlake): close that runtime first, ` +
    'then open it for writing; while it is open every database of the data dir is read as a private copy, and writes to it would be lost');
}
