// `schemas check`'s `no-schemas` finding: a folder with no schema file directly in it, so a lint (or a CI job) pointed
// at the wrong folder fails instead of passing with nothing checked.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaFinding } from './check.ts';

/**
 * The finding for `dir`, which holds no `*.json` file: it names the folder and, when subfolders of it hold schema
 * files (e.g. an example's `schemas/`), names them as the folder likely meant.
 */
export function noSchemasFinding(dir: string): SchemaFinding {
  const meant = subfoldersWithSchemas(dir).map((sub) => join(dir, sub));
  const fix = meant.length > 0
    ? `the schemas are likely in ${meant.join(' or ')}: check that folder instead`
    : 'give the folder that holds them';
  return { file: dir, pointer: '', rule: 'no-schemas', message: `${dir} holds no schema files (<event_type>.v<N>.json, e.g. outgoing_payment.v1.json) directly in it, so nothing was checked: ${fix}` };
}

/** The subfolders of `dir` (one level down, in name order) that hold a `*.json` file; one that cannot be read is skipped. */
function subfoldersWithSchemas(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort().filter((sub) => {
    try {
      return readdirSync(join(dir, sub)).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
}
