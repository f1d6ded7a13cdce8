// `schemas check`'s findings about the --extensions module itself: what opening a lake with it and the checked folder
// refuses whatever the folder's schemas say, in the words of that refusal.

import { basename } from 'node:path';
import { pairRuleFindings } from '../../projections/builtin-rule-coverage.ts';
import { SCHEMA_FILE_NAME, type SchemaFinding } from '../../schemas/check.ts';
import { schemaFilesIn } from '../../schemas/schema-file.ts';
import { unknownRuleTypes, type LoadedExtensions } from '../load-extensions.ts';

/**
 * The module's findings, filed under its path: `extensions` for a balance rule whose type neither `loadedTypes` (the
 * built-ins and the other schema folders) nor `dir`, the folder under check, defines (INVALID_ARGUMENT at open), and
 * `builtin-rule` for a deposit/verification rule that breaks the pair's memo contract (BUILTIN_RULES_UNFIT at open).
 */
export function extensionsFindings(extensions: LoadedExtensions, dir: string, loadedTypes: readonly string[]): SchemaFinding[] {
  const file = extensions.source.file;
  const inDir = schemaFilesIn(dir).flatMap((f) => SCHEMA_FILE_NAME.exec(basename(f))?.[1] ?? []);
  return [
    ...unknownRuleTypes(extensions, [...loadedTypes, ...inDir]).map((message) => ({ file, pointer: '', rule: 'extensions' as const, message })),
    ...pairRuleFindings(extensions.balanceRules).map(({ message }) => ({ file, pointer: '', rule: 'builtin-rule' as const, message })),
  ];
}
