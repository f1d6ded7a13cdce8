// What a deployment adds to the built-ins, as its functions see it: the user's schema folders copied beside index.mjs
// (named by EVENTLAKE_SCHEMA_FOLDERS), the extensions module bundled into the entry (balance rules, upcasters), and
// the rules fingerprints and digests the synth computed from the sources (EVENTLAKE_RULES_FINGERPRINTS,
// EVENTLAKE_RULE_DIGESTS: given-rules.ts).

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertBuiltinRulesFit } from '../../../projections/builtin-rule-coverage.ts';
import { extensionsOf, withBalanceRules, type Extensions } from '../../../projections/extensions.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { SchemaRegistry } from '../../../schemas/registry.ts';
import { LAMBDA_ENV } from './config.ts';
import { givenRulesFrom, withGivenFingerprints } from './given-rules.ts';
import { PROJECTIONS } from './projections.ts';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where bundled folder names are resolved. In a bundle every module's import.meta.url is index.mjs's, so this is the
 * function's code directory, where infra copies the folders; unbundled (tests) it is this module's folder.
 */
export const BUNDLE_DIR = dirname(fileURLToPath(import.meta.url));

/** The registry and projections a function validates, upcasts and folds with. */
export interface Deployment {
  /** Built-in schemas, the bundled schema folders, and the built-in and the module's upcasters. */
  readonly registry: SchemaRegistry;
  /**
   * The built-in projections; `balances` and `statement` fold with the module's rules too when it has any. Their rules
   * read as the fingerprints the synth gave (given-rules.ts), when it gave them.
   */
  readonly projections: readonly Projection[];
}

/** The absolute paths of the schema folders listed in EVENTLAKE_SCHEMA_FOLDERS (none when unset). */
export function bundledSchemaFolders(env: Env = process.env, base: string = BUNDLE_DIR): string[] {
  return (env[LAMBDA_ENV.schemaFolders] ?? '').split(',').map((f) => f.trim()).filter(Boolean).map((f) => resolve(base, f));
}

/**
 * The extensions of a bundled module's namespace (named exports or a default export, as `--extensions` takes them).
 * Infra checked the module at synth, so a problem here means the bundle is not what was checked.
 */
export function bundledExtensions(namespace: Record<string, unknown>): Extensions {
  const { extensions, problems } = extensionsOf(namespace);
  if (problems.length > 0) throw new InvalidArgumentError('extensions', `the bundled extensions module has the wrong exports: ${problems.join('; ')}; redeploy with a module defineExtensions accepts`);
  return extensions;
}

/**
 * The deployment of a function: the schemas the stack bundled and the module's rules and upcasters, so a remote
 * rebuild accepts the user's event types and AWS folds them as a local lake opened with the same
 * `--schemas`/`--extensions` does. Without either it is the built-ins, exactly. Throws `BuiltinRulesUnfitError`, as
 * opening that lake does, when the bundled schemas make a built-in type newer than the rules that would fold it (synth
 * refuses such a stack; a function built otherwise fails at start rather than fold those events wrongly).
 *
 * @example
 * const { registry, projections } = deploymentFrom(bundledExtensions(userModule));
 */
export function deploymentFrom(extensions: Extensions = {}, env: Env = process.env, base: string = BUNDLE_DIR): Deployment {
  const registry = SchemaRegistry.load({ folders: bundledSchemaFolders(env, base), upcasters: extensions.upcasters ?? [] });
  const rules = extensions.balanceRules ?? {};
  assertBuiltinRulesFit(registry, rules);
  const projections = Object.keys(rules).length === 0 ? PROJECTIONS : withBalanceRules(PROJECTIONS, rules);
  return { registry, projections: withGivenFingerprints(projections, givenRulesFrom(env)) };
}
