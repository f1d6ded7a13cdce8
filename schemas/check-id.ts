// `schemas check`'s `id` finding: an `$id` naming another version than its file's, or shared by two files of a folder.

import { ptr, type Schema } from './breaking-changes.ts';
import type { SchemaFinding } from './check.ts';

/**
 * The registry ignores `$id`, but editors, `$ref` resolution and generated types go by it: a v2 copied from v1 whose
 * `$id` still ends in `v1` or `v1.json`, or two files of the folder with one `$id` (recorded in `ids`), are findings.
 */
export function checkId(schema: Schema, version: number, ids: Map<string, string>, name: string): Omit<SchemaFinding, 'file'>[] {
  const id = schema['$id'];
  if (typeof id !== 'string') return [];
  const named = /([/._-])v([0-9]+)(\.json)?$/.exec(id);
  if (named !== null && Number(named[2]) !== version) {
    const own = `${id.slice(0, named.index)}${named[1]}v${version}${named[3] ?? ''}`;
    return [{ pointer: ptr('$id'), rule: 'id', message: `${JSON.stringify(id)} names v${named[2]} but the file is v${version}; give each version its own $id, e.g. ${own}` }];
  }
  const other = ids.get(id);
  if (other !== undefined) return [{ pointer: ptr('$id'), rule: 'id', message: `${JSON.stringify(id)} is also the $id of ${other}; give each version its own $id` }];
  ids.set(id, name);
  return [];
}
