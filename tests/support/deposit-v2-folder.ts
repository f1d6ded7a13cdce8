// A schema folder that makes cash_deposit v2 the latest version: what a user folder does to a built-in type whose
// built-in rules were written for v1 (projections/builtin-rule-coverage.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_SCHEMAS_DIR } from '../../schemas/registry.ts';
import { tempDir } from './tmp.ts';

/**
 * A folder holding cash_deposit.v2.json: v1 with an optional `Channel`, a compatible change (no upcaster needed), so
 * the only thing refused is the built-in rules' fit, not the evolution.
 */
export function compatibleDepositV2Folder(): string {
  const v1 = JSON.parse(readFileSync(join(BUILTIN_SCHEMAS_DIR, 'cash_deposit.v1.json'), 'utf8')) as Record<string, any>;
  const v2 = {
    ...v1, $id: 'https://example.com/schemas/cash_deposit/v2.json',
    properties: { ...v1['properties'], SchemaVersion: { const: 2 }, Channel: { type: 'string', minLength: 1 } },
  };
  const dir = tempDir();
  writeFileSync(join(dir, 'cash_deposit.v2.json'), JSON.stringify(v2, null, 2));
  return dir;
}
