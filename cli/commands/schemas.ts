// `eventlake schemas list|show|check`: what event types are known, what one looks like, and a lint for a folder.

import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { checkSchemaFolder } from '../../schemas/check.ts';
import { BUILTIN_SCHEMAS_DIR, SchemaRegistry } from '../../schemas/registry.ts';
import { applyToRegistry, loadExtensions, type LoadedExtensions } from '../load-extensions.ts';
import { globalOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { resolveTarget } from '../target.ts';
import { extensionsFindings } from './schemas-check-extensions.ts';

/** What the schemas commands need to build a registry. */
export interface SchemaRegistryOptions {
  /** The user's schema folders (absolute), from `--schemas` or EVENTLAKE_SCHEMAS (else the config file). */
  readonly schemaFolders: string[];
  /** The user's extensions module, whose upcasters are registered. */
  readonly extensions?: LoadedExtensions;
  /**
   * Describe the schemas as they are, even with a breaking version bump no upcaster covers: `schemas list|show|check`
   * are how a developer looks at such a set. Otherwise it is refused (`SchemaEvolutionError`), as when a lake opens.
   */
  readonly describeOnly?: boolean;
}

/** The registry the CLI uses by default: the built-ins plus the user's folders and upcasters, refused if not evolvable. */
export const loadSchemaRegistry = (opts: SchemaRegistryOptions): SchemaRegistry => {
  const registry = SchemaRegistry.load({ folders: opts.schemaFolders });
  if (opts.extensions) applyToRegistry(registry, opts.extensions);
  if (!opts.describeOnly) registry.assertEvolvable();
  return registry;
};

/**
 * The schema folders and the loaded extensions module the global options and the config file name: what `emit` and
 * `validate` check events with before opening anything (the module's upcasters refuse an old-version event they
 * cannot lift, which every later read would fail on).
 */
export async function userSchemas(opts: GlobalOptions): Promise<SchemaRegistryOptions> {
  const { schemaFolders, extensions } = resolveTarget(opts);
  return { schemaFolders, ...(extensions ? { extensions: await loadExtensions(extensions) } : {}) };
}

const where = (folder: string) => (resolve(folder) === resolve(BUILTIN_SCHEMAS_DIR) ? 'built-in' : relative(process.cwd(), folder) || '.');

/** A one-line summary of a field's schema: its const, enum or type, with format or pattern. */
function summary(field: Record<string, unknown>): string {
  if ('const' in field) return JSON.stringify(field['const']);
  if (Array.isArray(field['enum'])) return field['enum'].map((v) => JSON.stringify(v)).join(' | ');
  const type = Array.isArray(field['type']) ? field['type'].join(' | ') : String(field['type'] ?? 'any');
  const detail = field['format'] ?? field['pattern'];
  return detail === undefined ? type : `${type} (${String(detail)})`;
}

/**
 * Register `eventlake schemas` and its subcommands on `program`.
 *
 * @example
 * registerSchemasCommand(program, loadSchemaRegistry);
 * // eventlake --schemas ./my-schemas schemas list
 */
export function registerSchemasCommand(program: Command, getRegistry: (opts: SchemaRegistryOptions) => SchemaRegistry): void {
  const schemas = program.command('schemas').description('event types: list them, show one, lint a folder of schemas');

  schemas
    .command('list')
    .description('every known event type: its versions, the versions upcast to the next, and the folder it comes from')
    .option('--json', 'one JSON object per line')
    .action(async (options: { json?: boolean }, command: Command) => {
      const types = getRegistry({ ...(await userSchemas(globalOptions(command))), describeOnly: true }).types();
      printRows(types.map((t) => options.json
        ? { type: t.type, versions: t.versions, latest: t.versions.at(-1), upcasters: t.upcasters, sources: t.sources }
        : { type: t.type, versions: t.versions.join(', '), upcast: t.upcasters.map((v) => `v${v}→v${v + 1}`).join(', '), source: t.sources.map(where).join(', ') }), options.json ?? false);
    });

  schemas
    .command('show')
    .description('the fields of one event type at one version (the latest by default)')
    .argument('<type>', 'event type, e.g. cash_withdrawal')
    .option('--version <n>', 'schema version', (v: string) => {
      if (!/^[1-9][0-9]*$/.test(v)) throw new InvalidArgumentError('--version', `must be a whole number >= 1, got ${v}`);
      return Number(v);
    })
    .option('--json', 'print the JSON Schema itself')
    .action(async (type: string, options: { version?: number; json?: boolean }, command: Command) => {
      const registry = getRegistry({ ...(await userSchemas(globalOptions(command))), describeOnly: true });
      const entry = registry.entry(type, options.version);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(entry.schema, null, 2)}\n`);
        return;
      }
      const versions = registry.types().find((t) => t.type === type)!;
      const upcast = registry.hasUpcaster(type, entry.version) ? `; upcast to v${entry.version + 1} on read` : '';
      process.stdout.write(`${type} v${entry.version} (${where(entry.source)}: ${relative(process.cwd(), entry.file)}; versions ${versions.versions.join(', ')}${upcast})\n`);
      if (typeof entry.schema['description'] === 'string') process.stdout.write(`${entry.schema['description']}\n`);
      process.stdout.write('\n');
      const props = (entry.schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
      const required = new Set((entry.schema['required'] ?? []) as string[]);
      printRows(Object.entries(props).map(([field, s]) => ({ field, required: required.has(field) ? 'yes' : 'no', type: summary(s), description: String(s['description'] ?? '') })), false);
    });

  schemas
    .command('check')
    .description('lint a folder of schemas (JSON Schema 2020-12, envelope, closed objects, one $id per version, breaking changes without an upcaster) and the --extensions module against it; exit 1 on findings, or when the folder holds no schema file')
    .argument('<dir>', 'folder of <event_type>.v<N>.json files')
    .option('--json', 'one JSON finding per line')
    .action(async (dir: string, options: { json?: boolean }, command: Command) => {
      const { schemaFolders, extensions } = await userSchemas(globalOptions(command));
      // The folder under check is left out of the registry: it may not load, and it must not be its own baseline.
      // So the module's upcasters are looked up in its list here; extensionsFindings registers them on a registry of its own.
      const others = () => getRegistry({ schemaFolders: schemaFolders.filter((f) => f !== resolve(dir)), describeOnly: true });
      const registry = others();
      const moduleUpcasts = (type: string, from: number) => extensions?.upcasters.some((u) => u.type === type && u.fromVersion === from) ?? false;
      const known = (type: string, version: number) =>
        registry.types().some((t) => t.type === type && t.versions.includes(version)) && registry.entry(type, version).source !== resolve(dir);
      const { files, findings: inFolder } = checkSchemaFolder(dir, {
        hasUpcaster: (type, from) => registry.hasUpcaster(type, from) || moduleUpcasts(type, from),
        previous: (type, version) => (known(type, version) ? registry.entry(type, version).schema : undefined),
        balanceRules: extensions?.balanceRules,
      });
      const findings = [...inFolder, ...(extensions ? extensionsFindings(extensions, dir, others) : [])];
      if (findings.length > 0) {
        printRows(findings.map((f) => ({ file: relative(process.cwd(), f.file), pointer: f.pointer, rule: f.rule, message: f.message })), options.json ?? false);
        process.exitCode = 1;
      } else if (!options.json) {
        process.stdout.write(`${dir}: ${files} schema file(s), no findings\n`);
      }
    });
}
