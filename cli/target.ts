// Which eventlake a CLI command runs against: the local data directory, or a deployed AWS stack.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../domain/errors.ts';
import { refuseDuplicateJsonKey } from '../domain/json-duplicate-keys.ts';
import type { EventQuery } from '../domain/ports/event-query.ts';
import type { EventlakeRuntime } from '../projections/runtime.ts';
import { assertSchemaFolders } from '../schemas/schema-file.ts';
import { requireDataDir } from './data-dir-guard.ts';
import type { ExtensionsSource } from './load-extensions.ts';

export type TargetName = 'local' | 'aws';

/** The global options that choose and configure the target (`--target`, `--config`, `--data-dir`, `--schemas`). */
export interface TargetOptions {
  /** `local` or `aws`; default EVENTLAKE_TARGET, then the config file's `target`, then `local`. */
  readonly target?: string;
  /** JSON config file; default EVENTLAKE_CONFIG. */
  readonly config?: string;
  readonly dataDir: string;
  /** From `--schemas` / EVENTLAKE_SCHEMAS; when empty, the config file's `schemaFolders` (relative to the file). */
  readonly schemaFolders: readonly string[];
  /** From `--extensions` / EVENTLAKE_EXTENSIONS; when absent, the config file's `extensions` (relative to the file). */
  readonly extensions?: string;
  /** For commands that only read: refuse a local data dir that is not one (requireDataDir) instead of creating it. */
  readonly mustExist?: boolean;
  /** `--read-only`: open a local data dir read-only (cli/runtime.ts openRuntime), whatever the command. */
  readonly readOnly?: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A config file's contents: an object, or InvalidArgumentError naming the file and what is wrong. */
export function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InvalidArgumentError('--config', `cannot read ${path}: ${(cause as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new InvalidArgumentError('--config', `${path} is not valid JSON: ${(cause as Error).message}`);
  }
  refuseDuplicateJsonKey(text, `--config ${path}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError('--config', `${path} must hold a JSON object`);
  return value as Record<string, unknown>;
}

function targetOf(value: unknown, where: string): TargetName {
  if (value === 'local' || value === 'aws') return value;
  throw new InvalidArgumentError('target', `${where} is ${JSON.stringify(value)}: use "local" or "aws"`);
}

function folderList(value: unknown, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((f): f is string => typeof f === 'string' && f !== '')) {
    throw new InvalidArgumentError('schemaFolders', `must be a list of folder paths in ${file}`);
  }
  const folders = value.map((f) => resolve(dirname(file), f));
  assertSchemaFolders(folders, { argument: `"schemaFolders" in ${file}`, relativeTo: `that file's folder (${dirname(resolve(file))})` });
  return folders;
}

/** The extensions module the options name, else the config file's (relative to it), else none. */
function extensionsSource(given: string | undefined, fromFile: unknown, file: string | undefined): ExtensionsSource | undefined {
  if (given !== undefined) return { file: resolve(given), argument: '--extensions', where: 'given by the flag or EVENTLAKE_EXTENSIONS' };
  if (fromFile === undefined || file === undefined) return undefined;
  if (typeof fromFile !== 'string' || fromFile === '') throw new InvalidArgumentError('extensions', `must be the path of a module in ${file}, e.g. "./eventlake.extensions.ts"`);
  return { file: resolve(dirname(file), fromFile), argument: 'extensions', where: `"extensions" in ${file}` };
}

/** The chosen target, with the config file's other settings (the AWS names) and where they came from. */
export interface ResolvedTarget {
  readonly target: TargetName;
  readonly schemaFolders: string[];
  /** The user's extensions module, when one is named. */
  readonly extensions?: ExtensionsSource;
  readonly settings: Record<string, unknown>;
  /** The config file, or a hint where the settings would go. */
  readonly where: string;
}

/** Which target the options, the environment and the config file choose (no adapter is loaded). */
export function resolveTarget(opts: TargetOptions, env: Env = process.env): ResolvedTarget {
  const file = opts.config ?? (env['EVENTLAKE_CONFIG'] || undefined);
  const { target: fileTarget, schemaFolders: fileFolders, extensions: fileExtensions, ...settings } = file ? readConfigFile(file) : {};
  const target = opts.target !== undefined ? targetOf(opts.target, '--target')
    : env['EVENTLAKE_TARGET'] ? targetOf(env['EVENTLAKE_TARGET'], 'EVENTLAKE_TARGET')
      : fileTarget !== undefined ? targetOf(fileTarget, `"target" in ${file}`) : 'local';
  const schemaFolders = opts.schemaFolders.length > 0 ? [...opts.schemaFolders] : file ? folderList(fileFolders, file) : [];
  const extensions = extensionsSource(opts.extensions, fileExtensions, file);
  return { target, schemaFolders, ...(extensions ? { extensions } : {}), settings, where: file ?? 'a config file (--config or EVENTLAKE_CONFIG)' };
}

/**
 * Open the runtime the options point at. Each target's adapters are imported only when chosen: the local CLI never
 * loads the AWS SDK, and `--target aws` needs neither SQLite nor DuckDB (native modules) to be installed.
 * The extensions module (its rules and upcasters) is loaded first, so a broken one opens nothing. On AWS its rules
 * fold balances for rebuild and verify run from here; the projector Lambdas fold with the rules deployed in them.
 * With `mustExist`, a local path that is not a data dir is refused, creating nothing.
 *
 * @example
 * const runtime = await openTarget({ target: 'aws', config: 'eventlake.json', dataDir: '.eventlake', schemaFolders: [] });
 */
export async function openTarget(opts: TargetOptions, env: Env = process.env): Promise<EventlakeRuntime> {
  const { target, schemaFolders, extensions: source, settings, where } = resolveTarget(opts, env);
  // Ignored, it would let a user believe a deployed lake is safe from this command's writes.
  if (target === 'aws' && opts.readOnly === true) {
    throw new InvalidArgumentError('--read-only', 'opens a local data dir read-only; a deployed stack (--target aws) is not opened that way: ' +
      'nothing was read or written; drop --read-only, and run read commands with credentials whose IAM policy allows reads only');
  }
  if (target === 'local' && opts.mustExist) await requireDataDir(opts, env);
  // Imported only when a module is named: checking it compiles a schema registry of its own.
  const ext = source && await import('./load-extensions.ts');
  const extensions = ext && source ? await ext.loadExtensions(source) : undefined;
  if (ext && extensions) ext.checkAgainstSchemas(extensions, schemaFolders);
  if (target === 'local') {
    const { openRuntime } = await import('./runtime.ts');
    const runtime = await openRuntime({
      dataDir: opts.dataDir, schemaFolders, readOnly: opts.readOnly === true, ...(extensions ? { balanceRules: extensions.balanceRules, upcasters: extensions.upcasters } : {}),
    });
    return ext && extensions ? ext.extendRuntime(runtime, extensions, true) : runtime;
  }
  const [{ awsConfigFrom }, { openAwsEventlake }] = await Promise.all([
    import('../adapters/aws/aws-config.ts'),
    import('../adapters/aws/open-aws-eventlake.ts'),
  ]);
  // The module's rules go in the config: openAwsEventlake refuses a built-in type newer than rules it is not given.
  const config = { ...awsConfigFrom({ settings, where, env, schemaFolders }), ...(extensions ? { balanceRules: extensions.balanceRules } : {}) };
  const runtime = await openAwsEventlake(config, env);
  return ext && extensions ? ext.extendRuntime(runtime, extensions, false) : runtime;
}

/**
 * `eventlake query` on a deployed stack: Athena in the stack's workgroup (config `athena` or
 * EVENTLAKE_ATHENA_WORKGROUP / EVENTLAKE_GLUE_DATABASE), loaded only when chosen.
 *
 * @example
 * const { query, close } = await openAwsQuery({ config: 'eventlake.json', dataDir: '.eventlake', schemaFolders: [] });
 */
export async function openAwsQuery(opts: TargetOptions, env: Env = process.env): Promise<{ query: EventQuery; close(): Promise<void> }> {
  const { settings, where, schemaFolders } = resolveTarget(opts, env);
  const [{ awsConfigFrom }, { openAwsEventQuery }] = await Promise.all([
    import('../adapters/aws/aws-config.ts'),
    import('../adapters/aws/open-aws-event-query.ts'),
  ]);
  return openAwsEventQuery(awsConfigFrom({ settings, where, env, schemaFolders }));
}

/** The rebuild function of a deployed stack, as `eventlake rebuild --remote` uses it. */
export interface RebuildFunction {
  /** One synchronous invocation with the Lambda's request (`from`/`until` in epoch ms); resolves to its answer. */
  invoke(request: { projection: string; from: number; until?: number; dryRun: boolean }): Promise<{ status: string; report: Readonly<Record<string, unknown>> }>;
  close(): Promise<void>;
}

/**
 * `eventlake rebuild --remote`: the stack's rebuild function (config `rebuildFunction` or EVENTLAKE_REBUILD_FUNCTION),
 * its Lambda client loaded only when chosen. Only for `--target aws`: locally there is no function to invoke.
 *
 * @example
 * const fn = await openRebuildFunction({ target: 'aws', config: 'eventlake.json', dataDir: '.eventlake', schemaFolders: [] });
 */
export async function openRebuildFunction(opts: TargetOptions, env: Env = process.env): Promise<RebuildFunction> {
  const { target, settings, where, schemaFolders } = resolveTarget(opts, env);
  if (target !== 'aws') {
    throw new InvalidArgumentError('--remote', `needs --target aws: it invokes the rebuild function of a deployed stack, and the target is ${target}; ` +
      'drop --remote to rebuild here, on the local data directory');
  }
  const [{ awsConfigFrom }, { openRemoteRebuild }] = await Promise.all([
    import('../adapters/aws/aws-config.ts'),
    import('../adapters/aws/open-remote-rebuild.ts'),
  ]);
  const { invoker, close } = await openRemoteRebuild(awsConfigFrom({ settings, where, env, schemaFolders }));
  return { invoke: (request) => invoker.invoke(request), close };
}

/**
 * For commands that only make sense on the embedded default (`run`, `serve`): on any other target, close the runtime
 * and throw `UnsupportedOnTargetError` saying what does the job there.
 *
 * @example
 * await requireLocal(runtime, 'eventlake run', 'the indexer and projector Lambdas dispatch every event as it arrives');
 */
export async function requireLocal(runtime: Pick<EventlakeRuntime, 'target' | 'close'>, operation: string, insteadOnAws: string): Promise<void> {
  if (runtime.target === 'local') return;
  await runtime.close();
  throw new UnsupportedOnTargetError(operation, runtime.target, insteadOnAws);
}
