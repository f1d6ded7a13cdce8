// What a schema registry holds and is configured with: one loaded schema (its file, source folder and compiled
// validators), the registry's options and their check, and the limits and folders every registry shares.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { Precheck } from './prevalidate.ts';
import type { UpcasterStep } from './upcasters.ts';
import { InvalidArgumentError } from '../domain/errors.ts';

/** Folder of the built-in bank event schemas. */
export const BUILTIN_SCHEMAS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'builtin');
/** Largest serialized event the log accepts (EventBridge allows 256 KiB per entry; events are small facts). */
export const MAX_EVENT_BYTES = 64 * 1024;

/** One loaded schema. */
export interface SchemaEntry {
  readonly type: string;
  readonly version: number;
  readonly file: string;
  readonly source: string;
  readonly schema: Record<string, unknown>;
  readonly validate: ValidateFunction;
  /** Fast "ajv would accept" check of the schema's common keywords, when it uses no other (see prevalidate.ts). */
  readonly precheck?: Precheck;
  /** The fields its `x-eventlake-accounts` names; absent when it declares none (SourceAccount / TargetAccount then). */
  readonly accountFields?: readonly string[];
}

export interface RegistryOptions {
  /** Extra folders of `<event_type>.v<N>.json` files, loaded after the built-ins (a later file may not redefine a type+version). */
  readonly folders?: Iterable<string>;
  /** Upcasters registered at load, after the built-in ones: with them, `assertEvolvable()` can run right away. */
  readonly upcasters?: readonly UpcasterStep[];
  /** Leave out the built-in bank schemas. */
  readonly withoutBuiltins?: boolean;
  /** Epoch-seconds clock, for the far-future check. */
  readonly now?: () => number;
  /** How far ahead of the clock an EventTimeStamp may be. Default one day; Infinity for no limit. */
  readonly maxFutureSkewSeconds?: number;
}

const isIterable = (v: unknown): v is Iterable<unknown> => typeof v === 'object' && v !== null && Symbol.iterator in v;
const kind = (v: unknown): string => (Array.isArray(v) ? 'an array' : v === null ? 'null' : `a${typeof v === 'object' ? 'n' : ''} ${typeof v}`);

/**
 * `options` as given (any iterable `folders` read once into an array: a generator could not be read again), or `InvalidArgumentError` on the first value a JS caller gave the wrong type. Why: a string as
 * `folders` is iterable, and was read one character at a time as folders ('/tmp' loaded '/').
 */
export function checkRegistryOptions(options: RegistryOptions): RegistryOptions {
  const { folders, upcasters, maxFutureSkewSeconds: skew } = options;
  if (folders !== undefined && (typeof folders === 'string' || !isIterable(folders))) {
    throw new InvalidArgumentError('folders', `is ${kind(folders)}: give an array of schema folders, e.g. { folders: ["./schemas"] } (schemaFolders of openLocalEventlake)`);
  }
  const list = folders === undefined ? undefined : [...folders];
  const notString = list?.find((f) => typeof f !== 'string');
  if (list !== undefined && notString !== undefined) throw new InvalidArgumentError('folders', `holds ${kind(notString)}: give each schema folder as a path string`);
  if (upcasters !== undefined && !Array.isArray(upcasters)) throw new InvalidArgumentError('upcasters', `is ${kind(upcasters)}: give an array of { type, fromVersion, upcast } steps`);
  // Infinity is no limit (a schedule imported ahead of time), which futureTimestampIssue answers correctly; NaN is not.
  if (skew !== undefined && !(typeof skew === 'number' && skew >= 0)) {
    throw new InvalidArgumentError('maxFutureSkewSeconds', `${String(skew)} is not a number of seconds >= 0: give how far ahead of the clock an EventTimeStamp may be, e.g. 86400 (the default, one day), or Infinity for no limit`);
  }
  return list === undefined ? options : { ...options, folders: list };
}
