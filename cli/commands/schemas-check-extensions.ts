// `schemas check`'s findings about the --extensions module itself: what opening a lake with it and the checked folder
// refuses whatever the folder's schemas say, in the words of that refusal.

import { basename, resolve } from 'node:path';
import { pairRuleFindings } from '../../projections/builtin-rule-coverage.ts';
import { SCHEMA_FILE_NAME, type SchemaFinding } from '../../schemas/check.ts';
import type { SchemaRegistry } from '../../schemas/registry.ts';
import { schemaFilesIn } from '../../schemas/schema-file.ts';
import type { UpcasterStep } from '../../schemas/upcasters.ts';
import { unknownRuleTypes, upcasterRefusals, type LoadedExtensions } from '../load-extensions.ts';

/**
 * The module's findings, filed under its path. `others` makes a fresh registry of the built-ins and the other schema
 * folders, to which the schemas of `dir` (the folder under check) are added, then the module's upcasters, as a lake
 * opening with them all does. `extensions`: a balance rule whose type no schema defines, or an upcaster that cannot be
 * registered (both INVALID_ARGUMENT at open); `builtin-rule`: a deposit/verification rule that breaks the pair's memo
 * contract (BUILTIN_RULES_UNFIT at open).
 */
export function extensionsFindings(extensions: LoadedExtensions, dir: string, others: () => SchemaRegistry): SchemaFinding[] {
  const file = extensions.source.file;
  const finding = (rule: 'extensions' | 'builtin-rule', message: string): SchemaFinding => ({ file, pointer: '', rule, message });
  const registry = others();
  const { named, unloaded } = addFolder(registry, dir);
  const known = [...registry.types().map((t) => t.type), ...named];
  return [
    ...unknownRuleTypes(extensions, known).map((message) => finding('extensions', message)),
    ...upcasterRefusals(registry, extensions.upcasters)
      .filter(({ index }) => !touches(extensions.upcasters[index]!, unloaded)).map(({ message }) => finding('extensions', message)),
    ...pairRuleFindings(extensions.balanceRules).map(({ message }) => finding('builtin-rule', message)),
  ];
}

/**
 * Add each schema of `dir` that loads to `registry`. `named`: the types its file names give; `unloaded`: the
 * `<type>.v<N>` of each file that does not load. Why not SchemaRegistry.load: the folder under check may hold files
 * that do not load (its own findings), and the module must still be checked against the rest.
 */
function addFolder(registry: SchemaRegistry, dir: string): { named: string[]; unloaded: Set<string> } {
  const named: string[] = [];
  const unloaded = new Set<string>();
  for (const path of schemaFilesIn(dir)) {
    const m = SCHEMA_FILE_NAME.exec(basename(path));
    if (m) named.push(m[1]!);
    try {
      registry.add(resolve(path), resolve(dir));
    } catch {
      if (m) unloaded.add(`${m[1]}.v${Number(m[2])}`);
    }
  }
  return { named, unloaded };
}

/**
 * Whether `step` lifts from or to a version whose file the folder check reports already: the open refuses that file
 * before the module, so the step's refusal ("no SchemaVersion N") would misname the fix.
 */
const touches = (step: UpcasterStep, unloaded: ReadonlySet<string>): boolean =>
  unloaded.has(`${step.type}.v${step.fromVersion}`) || unloaded.has(`${step.type}.v${step.fromVersion + 1}`);
