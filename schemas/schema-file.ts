// Schema files on disk: `<event_type>.v<N>.json`, read and checked to agree with their EventType/SchemaVersion consts.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InvalidArgumentError } from '../domain/errors.ts';
import { refuseDuplicateJsonKey } from '../domain/json-duplicate-keys.ts';

const FILE_NAME = /^([a-z][a-z0-9_]{0,63})\.v([1-9][0-9]{0,3})\.json$/;

/** The `.json` files of a folder, in name order. */
export function schemaFilesIn(folder: string): string[] {
  let files: string[];
  try {
    files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();
  } catch (cause) {
    throw new InvalidArgumentError('schemas', `cannot read schema folder ${folder}: ${(cause as Error).message}`);
  }
  return files.map((f) => join(folder, f));
}

/** One schema file: the type and version its name gives, and its JSON Schema, whose consts agree with them. */
export function readSchemaFile(file: string): { type: string; version: number; schema: Record<string, unknown> } {
  const m = FILE_NAME.exec(basename(file));
  if (!m) throw new InvalidArgumentError(file, 'schema files are named <event_type>.v<N>.json, e.g. outgoing_payment.v1.json');
  const [type, version] = [m[1]!, Number(m[2])];
  let [text, parsed]: [string, unknown] = ['', undefined];
  try {
    text = readFileSync(file, 'utf8');
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new InvalidArgumentError(file, `not valid JSON: ${(cause as Error).message}`);
  }
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
