// Loading the user's extensions module (`--extensions`, EVENTLAKE_EXTENSIONS, config `extensions`) and handing its
// rules and upcasters to a schema registry or a runtime, with errors that name where the path came from.

import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BalanceRule } from '../domain/balances.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import { assertBuiltinRulesFit } from '../projections/builtin-rule-coverage.ts';
import type { EventlakeRuntime } from '../projections/runtime.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { extensionsOf, withBalanceRules, type UpcasterStep } from '../projections/extensions.ts';

/** Where the extensions path came from: the argument errors name, and how to say it in a message. */
export interface ExtensionsSource {
  /** Absolute path of the module. */
  readonly file: string;
  /** `--extensions` (also for EVENTLAKE_EXTENSIONS) or `extensions` (the config key). */
  readonly argument: '--extensions' | 'extensions';
  /** e.g. `--extensions (or EVENTLAKE_EXTENSIONS)` or `"extensions" in /app/eventlake.json`. */
  readonly where: string;
  /** What a relative path was resolved from; by default the config file for `extensions`, else the current directory. */
  readonly relativeTo?: string;
}

/** A loaded, shape-checked extensions module. */
export interface LoadedExtensions {
  readonly source: ExtensionsSource;
  readonly balanceRules: Readonly<Record<string, BalanceRule>>;
  readonly upcasters: readonly UpcasterStep[];
}

const refuse = (source: ExtensionsSource, message: string) => new InvalidArgumentError(source.argument, `${source.file} (${source.where}) ${message}`);

/**
 * Import the module and check its exports. A missing file, a module that throws on import and exports of the wrong
 * shape are `InvalidArgumentError` naming the source and the fix; nothing is opened before this succeeds.
 */
export async function loadExtensions(source: ExtensionsSource): Promise<LoadedExtensions> {
  if (!statSync(source.file, { throwIfNoEntry: false })?.isFile()) {
    const relativeTo = source.relativeTo ?? (source.argument === 'extensions' ? 'the config file' : 'the current directory');
    throw refuse(source, `is not a file: give the path (relative to ${relativeTo}) of a TS or JS module exporting balanceRules and/or upcasters`);
  }
  let namespace: Record<string, unknown>;
  try {
    namespace = await importModule(source.file);
  } catch (cause) {
    throw refuse(source, `threw on import: ${(cause as Error)?.message ?? String(cause)}; fix the module so it loads (try node --import tsx ${source.file})`);
  }
  const { extensions, problems } = extensionsOf(namespace);
  if (problems.length > 0) throw refuse(source, `has the wrong exports: ${problems.join('; ')} (defineExtensions from 'eventlake' types them)`);
  return { source, balanceRules: extensions.balanceRules ?? {}, upcasters: extensions.upcasters ?? [] };
}

/** What Node's CommonJS loader says when it is handed an ES module it must not run as CommonJS. */
const ES_MODULE_AS_COMMONJS = new Set(['ERR_REQUIRE_CYCLE_MODULE', 'ERR_REQUIRE_ESM']);

/**
 * The module's namespace. Why the fallback: `bin/eventlake.js` registers tsx for ES modules only, so a module with
 * `import`/`export` in a folder whose package.json does not say "type": "module" (or that has none) goes to Node's
 * CommonJS loader and fails ("Cannot require() ES Module … in a cycle"); tsx's `tsImport` compiles it whatever the
 * package scope says.
 */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (cause) {
    if (!ES_MODULE_AS_COMMONJS.has(String((cause as { code?: unknown } | undefined)?.code))) throw cause;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * Register the module's upcasters on `registry`, after checking that each balance rule names a loaded type (a typo
 * would otherwise fold nothing, in silence). Errors name the source and the fix.
 */
export function applyToRegistry(registry: SchemaRegistry, loaded: LoadedExtensions): void {
  checkRuleTypes(registry, loaded);
  const [first] = upcasterRefusals(registry, loaded.upcasters);
  if (first !== undefined) throw refuse(loaded.source, first.message);
}

/**
 * Register each of `upcasters` on `registry` that can be; for each other one, why a lake opening with the module
 * refuses it (the words after the module's path, naming `upcasters[index]` and the fix): `schemas check` reports them
 * all before, the open the first.
 */
export function upcasterRefusals(registry: SchemaRegistry, upcasters: readonly UpcasterStep[]): { index: number; message: string }[] {
  return upcasters.flatMap((step, index) => {
    try {
      registry.addUpcaster(step.type, step.fromVersion, step.upcast);
      return [];
    } catch (cause) {
      return [{ index, message: `has upcasters[${index}] (${step.type} v${step.fromVersion} to v${step.fromVersion + 1}) that cannot be registered: ` +
        `${(cause as Error).message}; both versions' schemas must be loaded (--schemas or "schemaFolders"), one upcaster per step` }];
    }
  });
}

function checkRuleTypes(registry: SchemaRegistry, loaded: LoadedExtensions): void {
  const [first] = unknownRuleTypes(loaded, registry.types().map((t) => t.type));
  if (first !== undefined) throw refuse(loaded.source, first);
}

/**
 * Why each of the module's balance rules for a type not in `known` is refused when a lake opens (the words after the
 * module's path): `schemas check` reports them before.
 */
export function unknownRuleTypes(loaded: LoadedExtensions, known: Iterable<string>): string[] {
  const types = new Set(known);
  return Object.keys(loaded.balanceRules).filter((type) => !types.has(type))
    .map((type) => `has balanceRules.${type}, but no loaded schema defines ${type}: add its schema folder (--schemas or "schemaFolders") or fix the name`);
}

/**
 * Check, before anything is opened, that the module fits the schemas, that its upcasters cover every breaking
 * version bump (`SchemaEvolutionError`), and that no built-in type is left to built-in rules not written for its
 * latest version or for the module's rules (`BuiltinRulesUnfitError`): a module that does not is refused without
 * creating or recovering a data dir (the price is one more schema load, only when a module is named).
 */
export function checkAgainstSchemas(loaded: LoadedExtensions, schemaFolders: readonly string[]): void {
  const registry = SchemaRegistry.load({ folders: schemaFolders });
  applyToRegistry(registry, loaded);
  registry.assertEvolvable();
  assertBuiltinRulesFit(registry, loaded.balanceRules);
}

/**
 * `runtime` with the module applied. When `foldsHere` (local), the runtime was opened with the module's rules and
 * upcasters (openLocalEventlake needs the upcasters to check the schemas before it opens anything), so only the
 * rules' types are checked; otherwise (AWS, where the projections were built without the rules) the upcasters are
 * registered and a balances projection with the rules is used for rebuild and verify. Closes the runtime when the
 * module does not fit it.
 */
export async function extendRuntime<R extends EventlakeRuntime>(runtime: R, loaded: LoadedExtensions, foldsHere: boolean): Promise<R> {
  try {
    if (foldsHere) checkRuleTypes(runtime.registry, loaded);
    else applyToRegistry(runtime.registry, loaded);
  } catch (error) {
    await runtime.close();
    throw error;
  }
  if (foldsHere || Object.keys(loaded.balanceRules).length === 0) return runtime;
  return { ...runtime, projections: withBalanceRules(runtime.projections, loaded.balanceRules) };
}
