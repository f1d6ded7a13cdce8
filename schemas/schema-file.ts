// Schema files on disk: `<event_type>.v<N>.json`, read and checked to agree with their EventType/SchemaVersion consts.

import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError } from '../domain/errors.ts';
import { refuseDuplicateJsonKey } from '../domain/json-duplicate-keys.ts';
import { describeValue } from '../domain/known-keys.ts';
import { readSchemaJson } from './schema-text.ts';

const FILE_NAME = /^([a-z][a-z0-9_]{0,63})\.v([1-9][0-9]{0,3})\.json$/;

/** Where a list of schema folders came from, so that a folder that cannot be read is refused naming what to fix. */
export interface SchemaFoldersSource {
  /** What the user set: the error's `argument`, e.g. `EventLakeProps.schemaFolders`. */
  readonly argument: string;
  /** What a relative path is resolved from, e.g. `the current directory`. */
  readonly relativeTo: string;
}

/**
 * The fallback of SchemaRegistry.load, which cannot tell the routes apart: each route (`--schemas`, EVENTLAKE_SCHEMAS,
 * the config file's "schemaFolders", openLocalEventlake's `schemaFolders`) checks its own first with assertSchemaFolders.
 */
const CLI_OR_API: SchemaFoldersSource = {
  argument: '--schemas (or "schemaFolders")',
  relativeTo: 'the current directory; "schemaFolders" in a config file: from that file',
};

/** The `.json` files of a folder, in name order. */
export function schemaFilesIn(folder: string, source: SchemaFoldersSource = CLI_OR_API): string[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  } catch (cause) {
    throw unreadableFolder(folder, cause, source);
  }
  return files.map((f) => join(folder, f));
}

/**
 * Refuse, naming `source` and the fix, the first of `folders` that cannot be read as a folder: callers that know
 * where the folders came from check them before SchemaRegistry.load, whose own error can only guess.
 */
export function assertSchemaFolders(folders: unknown, source: SchemaFoldersSource): asserts folders is readonly string[] {
  // Why: a string was read one character at a time ("schema folder …/m does not exist").
  if (!Array.isArray(folders)) {
    const fix = typeof folders === 'string' ? `: give [${JSON.stringify(folders)}]` : ', such as [\'./schemas\']';
    throw new InvalidArgumentError(source.argument, `expected an array of folder paths, got ${describeValue(folders)}${fix}`);
  }
  const odd = folders.findIndex((f) => typeof f !== 'string' || f === '');
  if (odd >= 0) throw new InvalidArgumentError(source.argument, `expected an array of folder paths, but item ${odd} is ${describeValue(folders[odd])}${folders[odd] === '' ? ' (empty)' : ''}`);
  for (const folder of folders as string[]) schemaFilesIn(folder, source);
}

function unreadableFolder(folder: string, cause: unknown, source: SchemaFoldersSource): InvalidArgumentError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${(cause as Error)?.message ?? String(cause)})`;
  return new InvalidArgumentError(source.argument, `schema folder ${resolve(folder)} ${why}: give an existing folder that holds the ` +
    `<event_type>.v<N>.json schemas (e.g. outgoing_payment.v1.json), as a path from ${source.relativeTo}`);
}

/** One schema file: the type and version its name gives, and its JSON Schema, whose consts agree with them. */
export function readSchemaFile(file: string): { type: string; version: number; schema: Record<string, unknown> } {
  const m = FILE_NAME.exec(basename(file));
  if (!m) throw new InvalidArgumentError(file, 'schema files are named <event_type>.v<N>.json, e.g. outgoing_payment.v1.json');
  const [type, version] = [m[1]!, Number(m[2])];
  const read = readSchemaJson(file);
  if ('problem' in read) throw new InvalidArgumentError(file, read.problem);
  const { text, parsed } = read;
  // JSON.parse keeps the last of two equal keys: half of a definition would be dropped without a word.
  refuseDuplicateJsonKey(text, file);
  // Why here: null failed every later step with a bare TypeError, and an array or `true` compiled to "accept anything".
  const problem = notAnObject(parsed, type);
  if (problem !== undefined) throw new InvalidArgumentError(file, problem);
  const schema = parsed as Record<string, unknown>;
  checkConsts(file, schema, type, version);
  return { type, version, schema };
}

/** What is wrong with a schema file's parsed JSON that is not an object, for a `type` file; undefined for an object. */
export function notAnObject(parsed: unknown, type: string): string | undefined {
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return undefined;
  const what = Array.isArray(parsed) ? 'an array' : parsed === null || typeof parsed === 'boolean' ? String(parsed) : `a ${typeof parsed}`;
  return `is ${what}, not a JSON object: a schema file holds one JSON Schema object ({ "type": "object", "properties": { "EventType": { "const": "${type}" }, … } })`;
}

/** A schema whose EventType/SchemaVersion consts disagree with its file name could never accept an event. */
function checkConsts(file: string, schema: Record<string, unknown>, type: string, version: number): void {
  const props = (schema['properties'] ?? {}) as Record<string, { const?: unknown } | undefined>;
  const [eventType, schemaVersion] = [props['EventType']?.const, props['SchemaVersion']?.const];
  if (eventType !== undefined && eventType !== type) throw new InvalidArgumentError(file, `EventType const ${JSON.stringify(eventType)} does not match the file name (${type})`);
  if (schemaVersion !== undefined && schemaVersion !== version) throw new InvalidArgumentError(file, `SchemaVersion const ${JSON.stringify(schemaVersion)} does not match the file name (v${version})`);
}
