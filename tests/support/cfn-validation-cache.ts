// A disk cache of aws-cdk-lib's default CloudFormation validation for the infra tests: a synthesis whose templates
// are byte for byte ones validated before gets that validation's report without running the validator (its WASM
// engine costs ~3 s to start in every process, ~0.5-1 s a template); any other synthesis is validated for real.
// Importing this module turns it on (EVENTLAKE_TEST_CACHE=off turns it off).
//
// Why this cannot make a test pass that would fail: the key is the validator's whole input (every template's bytes,
// its stack path, account and region) plus what decides its rules (the aws-cdk-lib and validator versions, the
// rule index's bytes), so a changed source that changes a template misses; and the validator is deterministic, so
// the report it gave for that input (clean, warnings or errors) is the report it would give again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

type Validate = CloudFormationValidatePlugin['validate'];
type Context = Parameters<Validate>[0];
type Report = ReturnType<Validate>;

const require = createRequire(import.meta.url);
const cdkRoot = dirname(require.resolve('aws-cdk-lib/package.json'));
const fromCdk = createRequire(join(cdkRoot, 'package.json'));

const VALIDATOR_VERSION = (fromCdk('@aws/cloudformation-validate/package.json') as { version: string }).version;

/** What decides the validator's rules, beside the templates: read once per process. */
const RULES = [
  `aws-cdk-lib@${(require('aws-cdk-lib/package.json') as { version: string }).version}`,
  `@aws/cloudformation-validate@${VALIDATOR_VERSION}`,
  createHash('sha256').update(readFileSync(join(cdkRoot, 'core/lib/validation/rules/index.generated.json'))).digest('hex'),
].join('\n');

/** Where reports are kept: one file per key (EVENTLAKE_TEST_CACHE_DIR, else the temp dir). */
export const VALIDATION_CACHE_DIR = join(process.env['EVENTLAKE_TEST_CACHE_DIR'] ?? join(tmpdir(), 'eventlake-test-cache'), 'cfn-validation');

/**
 * The cache key of one validation: a hash of every template's bytes, stack path, file name, account and region,
 * the plugin's own options, and the rule versions.
 */
export function validationKey(context: Pick<Context, 'stackTemplates'>, pluginProps: unknown = {}): string {
  const hash = createHash('sha256').update(RULES).update(JSON.stringify(pluginProps ?? {}));
  for (const t of context.stackTemplates) {
    hash.update(JSON.stringify([t.stackConstructPath, basename(t.templatePath), t.accountId ?? null, t.region ?? null]));
    hash.update(readFileSync(t.templatePath));
  }
  return hash.digest('hex');
}

/**
 * A report as stored: each violating resource's template path (this synthesis's own cdk.out) becomes the index of
 * its template in the context, so a replay names the template of the synthesis it answers. Undefined when a path
 * is not one of the context's (then the report is not stored).
 */
function portable(report: Report, context: Context): Report | undefined {
  const paths = context.stackTemplates.map((t) => t.templatePath);
  let foreign = false;
  const violations = report.violations.map((v) => ({
    ...v,
    violatingResources: v.violatingResources.map((r) => {
      if (r.templatePath === undefined) return r;
      const index = paths.indexOf(r.templatePath);
      if (index < 0) foreign = true;
      return { ...r, templatePath: String(index) };
    }),
  }));
  return foreign ? undefined : { success: report.success, violations };
}

/** A stored report with its template indexes turned back into the context's template paths. */
function local(stored: Report, context: Context): Report {
  return {
    success: stored.success,
    violations: stored.violations.map((v) => ({
      ...v,
      violatingResources: v.violatingResources.map((r) => (r.templatePath === undefined ? r : { ...r, templatePath: context.stackTemplates[Number(r.templatePath)]!.templatePath })),
    })),
  };
}

/** Store `report` under `key`: written under a temporary name and renamed, so a concurrent reader sees all or nothing. */
function remember(dir: string, key: string, report: Report): void {
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${key}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(report));
  renameSync(tmp, join(dir, `${key}.json`));
}

function recall(dir: string, key: string): Report | undefined {
  try {
    const stored = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as Report;
    return typeof stored.success === 'boolean' && Array.isArray(stored.violations) ? stored : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `validate` answered from `dir` for an input it has validated before (the same report, warnings and errors
 * included, naming this synthesis's templates), and remembered there otherwise; `onCall` hears each hit or miss.
 */
export function cachedValidator(validate: Validate, dir: string, onCall: (hit: boolean) => void = () => {}): Validate {
  return function cachedValidate(this: CloudFormationValidatePlugin, context: Context): Report {
    const key = validationKey(context, (this as unknown as { props?: unknown }).props);
    const stored = recall(dir, key);
    onCall(stored !== undefined);
    if (stored) return local(stored, context);
    const report = validate.call(this, context);
    const kept = portable(report, context);
    if (kept) remember(dir, key, kept);
    return report;
  };
}

const CACHED = Symbol.for('eventlake.test.cfnValidationCached');

/** Wrap `CloudFormationValidatePlugin.prototype.validate` with {@link cachedValidator}, once per process. */
export function cacheCloudFormationValidation(dir: string = VALIDATION_CACHE_DIR): void {
  const proto = CloudFormationValidatePlugin.prototype as CloudFormationValidatePlugin & { [CACHED]?: true };
  if (proto[CACHED]) return;
  proto.validate = cachedValidator(proto.validate, dir);
  // aws-cdk-lib reads the plugin's version (and rule ids) for every synthesis; its getters ask the WASM engine, which
  // then starts (~1.6 s CPU) even when the report comes from the cache. The engine's version() is its package's.
  Object.defineProperty(proto, 'version', { get: () => VALIDATOR_VERSION, configurable: true });
  Object.defineProperty(proto, 'ruleIds', { get: () => [VALIDATOR_VERSION], configurable: true });
  proto[CACHED] = true;
}

if (process.env['EVENTLAKE_TEST_CACHE'] !== 'off') cacheCloudFormationValidation();
