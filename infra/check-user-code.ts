// The synth-time check of a stack's schema folders and extensions module: the CLI's own checks (SchemaRegistry.load,
// loadExtensions, checkAgainstSchemas), so a mistake fails `cdk synth` with the error `--schemas`/`--extensions` give,
// not a deployed function at its first event. Run as a script, it is the child that loads the module.

import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkAgainstSchemas, loadExtensions } from '../cli/load-extensions.ts';
import { BuiltinRulesUnfitError, type BuiltinRuleFinding } from '../domain/builtin-rule-errors.ts';
import { InvalidArgumentError, SchemaEvolutionError, type EvolutionFinding } from '../domain/errors.ts';
import { assertBuiltinRulesFit } from '../projections/builtin-rule-coverage.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { assertSchemaFolders, type SchemaFoldersSource } from '../schemas/schema-file.ts';
import { answerAndExit, runSynthChild, SYNTH_CHILD_TIMEOUT_MS } from './synth-child.ts';

/** How the errors say where the path came from. */
const WHERE = 'EventLakeProps.extensions (or -c eventlake:extensions)';

/**
 * The CLI's errors say where schema folders come from in CLI terms; at synth the same folders come from the props or
 * the context, so that is what the message must name for the fix to be findable.
 */
const CLI_SCHEMAS = '--schemas or "schemaFolders"';
const SYNTH_SCHEMAS = 'EventLakeProps.schemaFolders, or -c eventlake:schemaFolders=DIR[,DIR]';

/** Synth has no config file: props and context paths are resolved (path.resolve) from where the app runs. */
const SYNTH_RELATIVE_TO = 'the current directory (where cdk synth runs the app)';
const SYNTH_FOLDERS: SchemaFoldersSource = { argument: 'EventLakeProps.schemaFolders (or -c eventlake:schemaFolders)', relativeTo: SYNTH_RELATIVE_TO };

/**
 * What the child prints when the CLI's check refuses: the module (argument and message), the schema set's evolution,
 * or the built-in types the module's rules leave to built-in rules that do not fit them.
 */
type Refusal = { readonly argument: string; readonly message: string } | { readonly evolution: readonly EvolutionFinding[] } | { readonly builtin: readonly BuiltinRuleFinding[] };

/**
 * Throw what the CLI throws for these inputs: the registry's error for a folder that does not load,
 * `SchemaEvolutionError` and `BuiltinRulesUnfitError` for schemas the module (or, without one, the built-ins) cannot
 * fold, and `InvalidArgumentError` (argument `extensions`) for a module that is missing, throws on import, has the
 * wrong exports, or names a type no loaded schema defines. The module is TypeScript and importing it is asynchronous, while a
 * construct is built synchronously, so it is loaded in a child Node process (with tsx), only when there is one.
 */
export function checkUserCode(schemaFolders: readonly string[], extensions: string | undefined, timeoutMs: number = SYNTH_CHILD_TIMEOUT_MS): void {
  assertSchemaFolders(schemaFolders, SYNTH_FOLDERS);
  // Without a module no upcaster but the built-ins can cover a breaking version, and no rule replaces a built-in one
  // whose type a folder makes newer: refuse both here, as opening a lake with these folders does.
  if (extensions === undefined) {
    if (schemaFolders.length === 0) return;
    const registry = SchemaRegistry.load({ folders: schemaFolders });
    registry.assertEvolvable();
    assertBuiltinRulesFit(registry, {});
    return;
  }
  if (schemaFolders.length > 0) SchemaRegistry.load({ folders: schemaFolders });
  const child = runSynthChild(fileURLToPath(import.meta.url), [resolve(extensions), ...schemaFolders], `check ${resolve(extensions)} (${WHERE})`, timeoutMs);
  if (child.status === 0) return;
  const refusal = refusalIn(child.stdout);
  if (refusal && 'evolution' in refusal) throw new SchemaEvolutionError(refusal.evolution);
  if (refusal && 'builtin' in refusal) throw new BuiltinRulesUnfitError(refusal.builtin);
  if (refusal) throw new InvalidArgumentError(refusal.argument, refusal.message.slice(`${refusal.argument}: `.length).replaceAll(CLI_SCHEMAS, SYNTH_SCHEMAS));
  throw new InvalidArgumentError('extensions', `${resolve(extensions)} (${WHERE}) could not be checked: ${(child.stderr || child.error?.message || '').trim()}`);
}

function refusalIn(stdout: string): Refusal | undefined {
  try {
    const value = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { argument?: unknown; message?: unknown; evolution?: unknown; builtin?: unknown };
    if (Array.isArray(value.evolution)) return { evolution: value.evolution as EvolutionFinding[] };
    if (Array.isArray(value.builtin)) return { builtin: value.builtin as BuiltinRuleFinding[] };
    return typeof value.argument === 'string' && typeof value.message === 'string' ? { argument: value.argument, message: value.message } : undefined;
  } catch {
    return undefined;
  }
}

/** The child: check the module at argv[2] against the folders after it; print the refusal as JSON and exit 1 (`{}` and 0 when accepted). */
async function main(file: string, folders: string[]): Promise<void> {
  try {
    checkAgainstSchemas(await loadExtensions({ file, argument: 'extensions', where: WHERE, relativeTo: SYNTH_RELATIVE_TO }), folders);
  } catch (error) {
    if (error instanceof SchemaEvolutionError) return answerAndExit(JSON.stringify({ evolution: error.findings } satisfies Refusal), 1);
    if (error instanceof BuiltinRulesUnfitError) return answerAndExit(JSON.stringify({ builtin: error.findings } satisfies Refusal), 1);
    if (!(error instanceof InvalidArgumentError)) throw error;
    return answerAndExit(JSON.stringify({ argument: error.argument, message: error.message } satisfies Refusal), 1);
  }
  answerAndExit('{}', 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]!, process.argv.slice(3));
