// checkSchemaFolder's default baseline: the built-in schemas, which `schemas check` compares a folder with too.

import { resolve } from 'node:path';
import type { Schema } from './breaking-changes.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from './registry.ts';

let builtins: SchemaRegistry | undefined;

/**
 * The built-in schema of a type at a version, for a folder's `previous` when its caller gives none: a folder adding
 * cash_deposit.v2 has v1 before it (no `version-gap`) and is checked for breaking changes against it, and one defining
 * a built-in version again is a `duplicate`, as in `schemas check`. None for the built-in folder itself, which is not
 * its own baseline (as there).
 */
export function builtinBaseline(dir: string): (type: string, version: number) => Schema | undefined {
  if (resolve(dir) === resolve(BUILTIN_SCHEMAS_DIR)) return () => undefined;
  return (type, version) => {
    // Loaded at the first question, once per process: the built-in files do not change, and this registry is never added to.
    builtins ??= SchemaRegistry.load();
    return builtins.types().some((t) => t.type === type && t.versions.includes(version)) ? builtins.entry(type, version).schema : undefined;
  };
}
