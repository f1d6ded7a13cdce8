// What DuckDbEventQuery refuses in its options before it touches anything: an unknown key, a value of the wrong type,
// a dataDir that is no path. Why: `extracolumns` was silently ignored (no user columns), and a missing dataDir failed
// at the first query with Node's ERR_INVALID_ARG_TYPE "paths[0]".

import { InvalidArgumentError } from '../../domain/errors.ts';
import { describeValue, isOptionsObject, KIND, refuseUnknownKeys, refuseWrongKinds, type OptionKind } from '../../domain/known-keys.ts';
import type { DuckDbEventQueryOptions } from './duckdb-event-query.ts';
import { DEFAULT_DATA_DIR } from './layout.ts';

// A record over the options' keys: an option added to DuckDbEventQueryOptions and not here fails to compile.
const KEYS = {
  dataDir: 1, extraColumns: 1, catalogue: 1, accounts: 1, cacheRows: 1, withoutEventsIn: 1, restores: 1,
} as const satisfies Record<keyof DuckDbEventQueryOptions, 1>;

const KINDS: Readonly<Record<string, OptionKind>> = {
  extraColumns: KIND.array('an array of columns, such as schemaColumns(registry).columns'),
  catalogue: KIND.object('an object of named queries'),
  accounts: KIND.array('an array of account declarations, such as accountDeclarations(registry)'),
  cacheRows: KIND.number('a whole number of rows >= 0 (0 turns the cache off)', 0, true),
  withoutEventsIn: KIND.function('a function (keys, range), such as the index\'s withoutEventsIn'),
  restores: KIND.function('a function (keys), such as the archive tier\'s storage'),
};

/**
 * Throw `InvalidArgumentError` naming the option when `options` is not an object of DuckDbEventQuery's options with
 * a non-empty dataDir and values of the right types.
 *
 * @example
 * assertDuckDbOptions({ dataDir: '.eventlake', extracolumns: [] }); // extracolumns: unknown key … (did you mean extraColumns?)
 */
export function assertDuckDbOptions(options: unknown): asserts options is DuckDbEventQueryOptions {
  const fix = `give the data dir eventlake writes to (the dataDir of openLocalEventlake), e.g. { dataDir: '${DEFAULT_DATA_DIR}' }`;
  const given = options ?? {};
  if (!isOptionsObject(given)) throw new InvalidArgumentError('options', `DuckDbEventQuery takes an options object: ${fix}; got ${describeValue(given)}`);
  refuseUnknownKeys(given, Object.keys(KEYS), 'the options of DuckDbEventQuery');
  const dataDir = given['dataDir'];
  // An empty path would be the current directory: queries would read whatever folders named events/ it holds.
  if (typeof dataDir !== 'string' || dataDir.trim() === '') {
    const what = dataDir === undefined ? 'is missing' : `is ${JSON.stringify(dataDir) ?? describeValue(dataDir)}`;
    throw new InvalidArgumentError('dataDir', `${what}, which names no folder (an empty path would be the current directory): ${fix}`);
  }
  refuseWrongKinds(given, KINDS);
}
