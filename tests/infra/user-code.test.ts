// EventLakeProps.schemaFolders and .extensions reach the functions: every bundle gets the folders and the handlers
// their names, rebuild and projectors a generated entry importing the module; a mistake fails the synth as the CLI fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import { checkAgainstSchemas, loadExtensions } from '../../cli/load-extensions.ts';
import { InvalidArgumentError, SchemaEvolutionError } from '../../domain/errors.ts';
import { CONTEXT, propsFromContext } from '../../infra/app.ts';
import { EventLakeStack } from '../../infra/event-lake-stack.ts';
import { PROJECT_ROOT } from '../../infra/functions.ts';
import { copySchemaFolderCommands, generatedEntry, takesExtensions, userCodeEnvironment } from '../../infra/user-code.ts';
import { parcelReturned } from '../schemas/evolution-fixture.ts';
import { once } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const SCHEMAS = join(FIXTURE, 'schemas');
const EXTENSIONS = join(FIXTURE, 'extensions.ts');
const code = Code.fromInline('export const handler = async () => {};');

// Without aws-cdk-lib's CloudFormation validation (~10 s of CPU in a fresh process): these tests read the functions'
// environment or a construction error; tests/infra/app.test.ts validates the stack.
function synth(lake: object) {
  const stack = new EventLakeStack(new App({ builtinCloudFormationValidation: false }), 'Test', { lake: { code, ...lake } });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
  const envOf = (fn: { node: { defaultChild?: unknown } }) => resources[stack.getLogicalId(fn.node.defaultChild as never)]!.Properties.Environment.Variables as Record<string, unknown>;
  const { indexer, rebuild, compaction, projectors } = stack.lake;
  return { envs: [indexer, rebuild, compaction, ...projectors.values()].map(envOf) };
}

/** The error `fn` throws (or fails the test). */
function thrown(fn: () => unknown): unknown {
  try { fn(); } catch (error) { return error; }
  return assert.unreachable('it did not throw');
}

const test = suite('EventLake: the user\'s schema folders and extensions module');

test('with schemaFolders, every function is told where in its bundle the folders are', () => {
  const { envs } = synth({ schemaFolders: [SCHEMAS] });
  assert.is(envs.length, 5);
  for (const env of envs) assert.is(env[LAMBDA_ENV.schemaFolders], 'user-schemas/0-schemas');
});

test('without schemaFolders no function gets the variable (the stack is as before)', () => {
  for (const env of synth({}).envs) assert.not.ok(LAMBDA_ENV.schemaFolders in env);
});

test('each folder is copied into the bundle under the name the handlers are given, numbered apart', () => {
  const userCode = { schemaFolders: [SCHEMAS, join(FIXTURE, 'other/schemas')] };
  assert.is(userCodeEnvironment(userCode)[LAMBDA_ENV.schemaFolders], 'user-schemas/0-schemas,user-schemas/1-schemas');
  assert.equal(copySchemaFolderCommands(userCode, '/out'), [
    "mkdir -p '/out/user-schemas'", `cp -RL '${SCHEMAS}' '/out/user-schemas/0-schemas'`, `cp -RL '${join(FIXTURE, 'other/schemas')}' '/out/user-schemas/1-schemas'`,
  ]);
  assert.equal(copySchemaFolderCommands(undefined, '/out'), []);
});

test('the rebuild and the projectors get an extensions module; the indexer and compaction neither fold nor upcast', () => {
  assert.equal(['indexer', 'projector', 'rebuild', 'compaction'].filter(takesExtensions), ['projector', 'rebuild']);
});

test('the generated entry imports the module and hands it to the handler\'s setup, under the project root, the same file for the same inputs', () => {
  const file = generatedEntry(PROJECT_ROOT, 'projector', EXTENSIONS);
  assert.ok(file.startsWith(join(PROJECT_ROOT, 'node_modules')), file);
  assert.is(generatedEntry(PROJECT_ROOT, 'projector', EXTENSIONS), file);
  const source = readFileSync(file, 'utf8');
  assert.match(source, /import \* as extensions from "(\.\.\/)+tests\/infra\/fixtures\/user-types\/extensions\.ts"/);
  assert.match(source, /setUpProjector\(bundledExtensions\(extensions\)\)/);
  assert.is.not(generatedEntry(PROJECT_ROOT, 'rebuild', EXTENSIONS), file);
});

test('a schemaFolders folder that does not load fails the synth with the registry\'s error, as --schemas does', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(join(dir, 'schemas', 'parcel_fee.v1.json'), '{ "not": json');
  const error = thrown(() => synth({ schemaFolders: [join(dir, 'schemas')] }));
  assert.instance(error, InvalidArgumentError);
  assert.match((error as InvalidArgumentError).argument, /parcel_fee\.v1\.json$/);
});

const TYPO_EXTENSIONS = join(FIXTURE, 'typo-extensions.ts');
/** The synth's error for a module naming a type no schema defines: one child process checks it, for the two tests reading it. */
const typoRefused = once(() => thrown(() => synth({ schemaFolders: [SCHEMAS], extensions: TYPO_EXTENSIONS })));

test('an extensions module naming a type no schema defines fails the synth with the CLI\'s InvalidArgumentError', async () => {
  const file = TYPO_EXTENSIONS;
  const error = typoRefused();
  assert.instance(error, InvalidArgumentError);
  const cli = await (async () => {
    try { checkAgainstSchemas(await loadExtensions({ file, argument: 'extensions', where: 'EventLakeProps.extensions (or -c eventlake:extensions)' }), [SCHEMAS]); } catch (e) { return e; }
    return undefined;
  })();
  assert.instance(cli, InvalidArgumentError);
  assert.is((error as InvalidArgumentError).argument, 'extensions');
  // The CLI's message, but naming where a CDK user sets the schema folders (the next test).
  const inSynthTerms = (cli as InvalidArgumentError).message.replace('--schemas or "schemaFolders"', 'EventLakeProps.schemaFolders, or -c eventlake:schemaFolders=DIR[,DIR]');
  assert.is((error as InvalidArgumentError).message, inSynthTerms);
  assert.match((error as InvalidArgumentError).message, /balanceRules\.parcel_fees, but no loaded schema defines parcel_fees/);
});

test('a rule for a type no schema defines names schemaFolders as the field and the context key, not --schemas', () => {
  const error = typoRefused();
  assert.instance(error, InvalidArgumentError);
  const { message } = error as InvalidArgumentError;
  assert.ok(message.includes('EventLakeProps.schemaFolders') && message.includes('-c eventlake:schemaFolders'), message);
  assert.not.ok(message.includes('--schemas'), message);
});

test('an extensions module whose types have no schema without schemaFolders fails the synth, naming the fix', () => {
  const error = thrown(() => synth({ extensions: EXTENSIONS }));
  assert.instance(error, InvalidArgumentError);
  assert.match((error as InvalidArgumentError).message, /no loaded schema defines parcel_fee: add its schema folder/);
});

test('a schemaFolders folder with a breaking version and no extensions module fails the synth with SCHEMA_EVOLUTION, as --schemas does', () => {
  const error = thrown(() => synth({ schemaFolders: [parcelReturned('required').dir] }));
  assert.instance(error, SchemaEvolutionError);
  assert.equal((error as SchemaEvolutionError).findings.map((f) => [f.type, f.fromVersion]), [['parcel_returned', 1]]);
});

test('a breaking version the extensions module has no upcaster for fails the synth with SCHEMA_EVOLUTION, not a child\'s stack trace', () => {
  const error = thrown(() => synth({ schemaFolders: [SCHEMAS, parcelReturned('required').dir], extensions: EXTENSIONS }));
  assert.instance(error, SchemaEvolutionError);
  assert.equal((error as SchemaEvolutionError).findings.map((f) => [f.type, f.fromVersion]), [['parcel_returned', 1]]);
});

test('a missing extensions module fails the synth naming the path', () => {
  const error = thrown(() => synth({ extensions: join(FIXTURE, 'nope.ts') }));
  assert.instance(error, InvalidArgumentError);
  assert.match((error as InvalidArgumentError).message, /nope\.ts .*is not a file/);
});

test('the app reads the module from -c eventlake:extensions', () => {
  assert.is(propsFromContext((k) => (k === CONTEXT.extensions ? ' ./eventlake.extensions.ts ' : undefined)).extensions, './eventlake.extensions.ts');
  assert.is(propsFromContext(() => undefined).extensions, undefined);
});

test.run();
