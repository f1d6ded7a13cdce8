// openTarget: which runtime the CLI opens (--target, EVENTLAKE_TARGET, the config file), and that local never loads the AWS SDK.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mockClient } from 'aws-sdk-client-mock';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { Command } from 'commander';
import { InvalidArgumentError, UnsupportedOnTargetError } from '../../domain/errors.ts';
import { registerRunCommand } from '../../cli/commands/run.ts';
import { registerServeCommand } from '../../cli/commands/serve.ts';
import { registerSnapshotCommand } from '../../cli/commands/snapshot.ts';
import { openTarget, type TargetOptions } from '../../cli/target.ts';
import type { EventlakeRuntime } from '../../projections/runtime.ts';
import { rejects } from '../support/async.ts';
import { awsSdkLoadsByStep } from './aws-sdk-loading.ts';
import { once } from '../support/run-ahead.ts';
import { tempDir } from '../support/tmp.ts';
import { runCli } from '../security/cli-run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const AWS_NAMES = { region: 'eu-west-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };

function configFile(content: unknown): string {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const local = (extra: Partial<TargetOptions> = {}): TargetOptions => ({ dataDir: join(tempDir(), 'data'), schemaFolders: [], ...extra });

const test = suite('openTarget');

test('the default target is the local data directory', async () => {
  const options = local();
  const rt = await openTarget(options, {});
  assert.equal([rt.target, rt.dataDir], ['local', options.dataDir]);
  await rt.close();
});

test('the config file chooses aws, and its names open the stack', async () => {
  const rt = await openTarget(local({ config: configFile({ target: 'aws', ...AWS_NAMES }) }), {});
  assert.equal([rt.target, rt.dataDir], ['aws', 's3://acme-events']);
  await rt.close();
});

test('--target overrides EVENTLAKE_TARGET, which overrides the config file', async () => {
  const file = configFile({ target: 'aws', ...AWS_NAMES });
  const viaEnv = await openTarget(local({ config: file }), { EVENTLAKE_TARGET: 'local' });
  assert.not.ok(viaEnv.dataDir.startsWith('s3://'));
  await viaEnv.close();
  const viaFlag = await openTarget(local({ config: file, target: 'aws' }), { EVENTLAKE_TARGET: 'local' });
  assert.is(viaFlag.dataDir, 's3://acme-events');
  await viaFlag.close();
});

test('EVENTLAKE_CONFIG names the config file when --config is absent', async () => {
  const rt = await openTarget(local(), { EVENTLAKE_CONFIG: configFile({ target: 'aws', ...AWS_NAMES }) });
  assert.is(rt.dataDir, 's3://acme-events');
  await rt.close();
});

test('an unknown target is refused with the valid ones', async () => {
  const error = await rejects(() => openTarget(local({ target: 'gcp' }), {}), InvalidArgumentError);
  assert.is(error.argument, 'target');
  assert.ok(error.message.includes('"local" or "aws"'));
});

test('aws without the stack names fails naming each missing one', async () => {
  const error = await rejects(() => openTarget(local({ target: 'aws', config: configFile({ region: 'eu-west-1', bucket: 'b' }) }), {}), InvalidArgumentError);
  assert.is(error.argument, 'indexTable, controlTable');
});

test('a config file that is missing or not a JSON object is named in the error', async () => {
  const missing = await rejects(() => openTarget(local({ config: join(tempDir(), 'nope.json') }), {}), InvalidArgumentError);
  assert.ok(missing.message.includes('nope.json'));
  await rejects(() => openTarget(local({ config: configFile('{ target: aws') }), {}), InvalidArgumentError);
  await rejects(() => openTarget(local({ config: configFile('[]') }), {}), InvalidArgumentError);
});

test("the config file's schemaFolders load, relative to the file", async () => {
  const file = configFile({ target: 'local', schemaFolders: ['schemas'] });
  const folder = join(file, '..', 'schemas');
  mkdirSync(folder);
  writeFileSync(join(folder, 'parcel_shipped.v1.json'), JSON.stringify({
    type: 'object', properties: { EventType: { const: 'parcel_shipped' }, SchemaVersion: { const: 1 } }, required: ['EventType', 'SchemaVersion'],
  }));
  const rt = await openTarget(local({ config: file }), {});
  assert.ok(rt.registry.types().some((t) => t.type === 'parcel_shipped'));
  await rt.close();
});

test.run();

/** A runtime of the aws target, as far as run, serve and snapshot use it; `taken` records snapshots. */
function fakeAwsRuntime(taken: string[], closed: string[]): EventlakeRuntime {
  return {
    target: 'aws', dataDir: 's3://acme-events', projections: [{ name: 'balances' }],
    catchUp: async () => ({ indexed: 0, dispatched: 0, deadLettered: 0 }),
    dispatchedPosition: async () => 42,
    deadLetters: { list: () => Promise.reject(new UnsupportedOnTargetError('eventlake dlq list', 'aws', 'use SQS')) },
    store: { liveGeneration: async () => 3 },
    snapshots: { take: async (name: string, generation: number, mark: number) => { taken.push(`${name} g${generation} @${mark}`); return { id: 's1', projection: name, generation, takenAt: 0, highWaterMark: mark }; } },
    close: async () => { closed.push('closed'); },
  } as unknown as EventlakeRuntime;
}

async function runCommand(register: (program: Command, open: () => Promise<EventlakeRuntime>) => void, runtime: EventlakeRuntime, args: string[]): Promise<unknown> {
  const program = new Command().exitOverride();
  register(program, async () => runtime);
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    await program.parseAsync(args, { from: 'user' });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    process.stdout.write = write;
  }
}

/** The CLI in-process (runCli), its output as out/err. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(args);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const query = suite('eventlake query --target aws');
const athena = mockClient(AthenaClient);
const dynamodb = mockClient(DynamoDBClient);
query.before.each(() => {
  athena.reset();
  dynamodb.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { QueryExecutionId: 'q-1', StatementType: 'DML', Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'n', Label: 'n', Type: 'bigint' }] }, Rows: [{ Data: [{ VarCharValue: 'n' }] }, { Data: [{ VarCharValue: '7' }] }] },
  });
  dynamodb.on(ScanCommand).resolves({ Items: [] });
});

const ATHENA = { workGroup: 'lake-wg', database: 'lake_db' };

query('runs on Athena in the configured workgroup and database', async () => {
  const run = await cli(['query', '--config', configFile({ target: 'aws', ...AWS_NAMES, athena: ATHENA }), '--json', 'SELECT count(*) AS n FROM events']);
  assert.is(run.code, 0, run.err);
  assert.is(run.out, '{"n":7}\n');
  const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
  assert.equal([start.WorkGroup, start.QueryExecutionContext?.Database], ['lake-wg', 'lake_db']);
});

query('archived objects the index knows as unrestored in a range query are reported, which Athena would skip silently', async () => {
  dynamodb.on(ScanCommand).resolves({ Items: [{ objectKey: { S: 'events/year=2024/month=01/day=02/hour=03/segment.ndjson' } }] });
  const run = await cli(['query', '--config', configFile({ target: 'aws', ...AWS_NAMES, athena: ATHENA }), '--since', '2024-01-01', '--until', '2024-03-01']);
  assert.ok(run.err.includes('events/year=2024/month=01/day=02/hour=03/segment.ndjson'), run.err);
  assert.is(dynamodb.commandCalls(ScanCommand)[0]!.args[0].input.TableName, AWS_NAMES.indexTable);
});

query('raw SQL reads no index (a Scan of the whole log\'s entries) and says on stderr that archived objects were not checked', async () => {
  const run = await cli(['query', '--config', configFile({ target: 'aws', ...AWS_NAMES, athena: ATHENA }), 'SELECT 1']);
  assert.is(run.code, 0, run.err);
  assert.is(dynamodb.commandCalls(ScanCommand).length, 0);
  assert.match(run.err, 'note: raw SQL on a deployed stack does not check for archived objects');
});

query('the workgroup and database may come from EVENTLAKE_ATHENA_WORKGROUP and EVENTLAKE_GLUE_DATABASE', async () => {
  Object.assign(process.env, { EVENTLAKE_ATHENA_WORKGROUP: 'env-wg', EVENTLAKE_GLUE_DATABASE: 'env_db' });
  try {
    assert.is((await cli(['query', '--config', configFile({ target: 'aws', ...AWS_NAMES }), 'SELECT 1'])).code, 0);
  } finally {
    delete process.env['EVENTLAKE_ATHENA_WORKGROUP'];
    delete process.env['EVENTLAKE_GLUE_DATABASE'];
  }
  assert.is(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.WorkGroup, 'env-wg');
});

query('without Athena settings the error says which settings and outputs to use', async () => {
  const run = await cli(['query', '--config', configFile({ target: 'aws', ...AWS_NAMES }), 'SELECT 1']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('EVENTLAKE_ATHENA_WORKGROUP') && run.err.includes('WorkGroupName'), run.err);
});

query.run();

const commands = suite('commands on the aws target');

commands('eventlake run refuses the aws target, saying the Lambdas dispatch there, and closes the runtime', async () => {
  const closed: string[] = [];
  const error = await runCommand(registerRunCommand, fakeAwsRuntime([], closed), ['run']);
  assert.instance(error, UnsupportedOnTargetError);
  assert.ok((error as Error).message.includes('Lambdas'), (error as Error).message);
  assert.equal(closed, ['closed']);
});

commands('eventlake serve refuses the aws target before listening', async () => {
  const closed: string[] = [];
  const error = await runCommand(registerServeCommand, fakeAwsRuntime([], closed), ['serve', '--port', '0']);
  assert.instance(error, UnsupportedOnTargetError);
  assert.is((error as UnsupportedOnTargetError).code, 'UNSUPPORTED_ON_TARGET');
  assert.equal(closed, ['closed']);
});

commands('snapshot take on aws carries on without the dead-letter check (dead letters are in SQS)', async () => {
  const taken: string[] = [];
  const error = await runCommand(registerSnapshotCommand, fakeAwsRuntime(taken, []), ['snapshot', 'take', '--json']);
  assert.is(error, undefined);
  assert.equal(taken, ['balances g3 @42']);
});

commands.run();

/** What opening each target in one fresh process loads of the AWS SDK (aws-sdk-loading.ts): one child for three tests. */
const sdkLoads = once(() => awsSdkLoadsByStep(configFile({ target: 'local', ...AWS_NAMES }), configFile({ target: 'aws', ...AWS_NAMES })));

const sdk = suite('AWS SDK loading');

sdk('the local target loads no module of the AWS SDK', () => {
  assert.equal(sdkLoads().localOpen, []);
});

sdk('eventlake query on the local target loads no module of the AWS SDK either (DuckDB, not Athena)', () => {
  assert.equal(sdkLoads().localQuery, []);
});

sdk('the aws target does load it (so the check above can fail)', () => {
  assert.ok(sdkLoads().awsOpen.some((m) => m.includes('@aws-sdk/client-s3')));
});

sdk('bin/eventlake keeps the AWS SDK\'s Node version warning away from CLI users', () => {
  const env = { ...process.env };
  delete env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
  const run = spawnSync(process.execPath, [join(root, 'bin/eventlake.js'), '--config', configFile({ target: 'aws', ...AWS_NAMES }), 'run'], {
    cwd: root, encoding: 'utf8', env, timeout: 60_000,
  });
  assert.ok(run.stderr.includes('UNSUPPORTED_ON_TARGET'), run.stderr);
  assert.not.ok(run.stderr.includes('NodeVersionSupportWarning'), run.stderr);
});

sdk.run();
