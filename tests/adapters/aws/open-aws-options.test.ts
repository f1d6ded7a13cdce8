// openAwsEventlake refuses what it cannot read as a config (no object, an unknown or misspelt key, nested ones too)
// with InvalidArgumentError naming the key and listing the known ones, as awsConfigFrom does for a config file: a
// misspelt `schemaFolder` would otherwise open the lake without the user's schemas.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { awsConfigFrom, AWS_CONFIG_KEYS } from '../../../adapters/aws/aws-config.ts';
import { openAwsEventlake, type AwsOpenConfig } from '../../../adapters/aws/open-aws-eventlake.ts';
import { BUILTIN_BALANCE_RULES } from '../../../domain/balances.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { answeringClients, NO_BUCKET, NO_TABLE } from '../../support/answering-clients.ts';
import { rejects } from '../../support/async.ts';
import { thrown } from '../../support/thrown.ts';

const NAMES = { bucket: 'b', indexTable: 'i', controlTable: 'c' };
/** Opens with no region and no clients: a config that got as far as building a client would fail on `region`. */
const refusal = (config: unknown) => rejects(() => openAwsEventlake(config as AwsOpenConfig, {}), InvalidArgumentError);

const test = suite('openAwsEventlake: the options object');

test('no options object is refused naming config and what it takes, not a TypeError reading bucket', async () => {
  for (const config of [undefined, null, 'eventlake.json', [NAMES]]) {
    const error = await refusal(config);
    assert.is(error.argument, 'config', String(config));
    assert.match(error.message, '{ bucket, indexTable, controlTable }');
  }
});

test('a misspelt key is refused by name, listing the known keys', async () => {
  const error = await refusal({ ...NAMES, schemaFolder: ['./my-schemas'] });
  assert.is(error.argument, 'schemaFolder');
  assert.match(error.message, 'unknown key in the config passed to openAwsEventlake (did you mean schemaFolders?); known keys: ');
  assert.match(error.message, 'balanceRules');
});

test('a config file\'s misspelt key is refused in the same words, with the key it is close to', () => {
  const error = thrown(() => awsConfigFrom({ settings: { ...NAMES, bukcet: 'x' }, where: 'prod.json', env: {} }), InvalidArgumentError);
  assert.is(error.argument, 'bukcet');
  assert.match(error.message, 'unknown key in prod.json (did you mean bucket?); known keys: region, endpoint, bucket');
});

test('an unknown key of a nested settings object is refused by its path', async () => {
  for (const [nested, path] of [
    [{ snapshots: { restoreTimeout: 60_000 } }, 'snapshots.restoreTimeout'],
    [{ identityClaims: { staleAfter: 60_000 } }, 'identityClaims.staleAfter'],
    [{ athena: { workgroup: 'wg', database: 'db' } }, 'athena.workgroup'],
    [{ clients: { dynamoDb: {} } }, 'clients.dynamoDb'],
  ] as const) {
    const error = await refusal({ ...NAMES, ...nested });
    assert.is(error.argument, path);
  }
});

test('a nested settings value that is no object is refused by name', async () => {
  const error = await refusal({ ...NAMES, snapshots: 60_000 });
  assert.is(error.argument, 'snapshots');
  assert.match(error.message, 'restoreTimeoutMs, pollDelayMs');
});

test.run();

const callers = suite('openAwsEventlake: the configs its callers pass');
const clients = () => answeringClients({ s3: () => NO_BUCKET, dynamodb: () => NO_TABLE });

callers('a config file with every setting, as the CLI opens it (with an extensions module\'s rules), opens', async () => {
  const settings = {
    region: 'eu-west-3', endpoint: 'http://127.0.0.1:1', ...NAMES, tablePrefix: 'p', eventBusName: 'bus', rebuildFunction: 'rebuild', kmsKeyArn: 'arn:aws:kms:x',
    forcePathStyle: true, pointInTimeRecovery: false, snapshots: { restoreTimeoutMs: 1, pollDelayMs: 1 }, identityClaims: { staleAfterMs: 1 },
    athena: { workGroup: 'wg', database: 'db', outputLocation: 's3://r/' },
  };
  assert.equal(Object.keys(settings).sort(), [...AWS_CONFIG_KEYS].sort(), 'every setting a config file may hold');
  const config = { ...awsConfigFrom({ settings, env: {}, schemaFolders: [] }), balanceRules: BUILTIN_BALANCE_RULES, clients: clients() };
  await (await openAwsEventlake(config, {})).close();
});

callers('a runtime\'s own config, with its clients, opens a second lake', async () => {
  const first = await openAwsEventlake({ region: 'eu-west-3', ...NAMES, now: Date.now, projections: [], tableFor: (p, g) => `${p}-${g}`, clients: clients() }, {});
  await first.close();
  await (await openAwsEventlake({ ...first.config, clients: first.clients }, {})).close();
});

/** The stack's CliConfig output, parsed (infra/outputs.ts cliConfigJson): what the docs say may be passed as it is. */
const CLI_CONFIG = {
  target: 'aws', region: 'eu-west-3', ...NAMES, tablePrefix: 'p', kmsKeyArn: 'arn:aws:kms:x', eventBusName: 'bus', rebuildFunction: 'rebuild',
  athena: { workGroup: 'wg', database: 'db' },
};

callers('the stack\'s CliConfig output, "target": "aws" and all, opens as it is', async () => {
  await (await openAwsEventlake({ ...CLI_CONFIG, clients: clients() } as AwsOpenConfig, {})).close();
});

callers('awsConfigFrom reads a whole config file: "target": "aws" and its schemaFolders too', () => {
  const config = awsConfigFrom({ settings: { ...CLI_CONFIG, schemaFolders: ['./schemas'] }, env: {} });
  assert.is(config.bucket, 'b');
  assert.equal(config.schemaFolders, ['./schemas']);
  assert.equal(awsConfigFrom({ settings: { ...CLI_CONFIG, schemaFolders: ['./schemas'] }, env: {}, schemaFolders: ['./cli'] }).schemaFolders, ['./cli'], 'the CLI\'s folders win');
});

callers('a target other than aws is refused, naming openLocalEventlake', async () => {
  const error = await refusal({ ...CLI_CONFIG, target: 'local' });
  assert.is(error.argument, 'target');
  assert.match(error.message, 'openLocalEventlake');
  assert.is(thrown(() => awsConfigFrom({ settings: { ...CLI_CONFIG, target: 'local' }, env: {} }), InvalidArgumentError).argument, 'target');
});

callers('an extensions module path is refused with what a library passes instead, not ignored (the lake would lack its rules)', async () => {
  for (const error of [
    await refusal({ ...CLI_CONFIG, extensions: './rules.mjs' }),
    thrown(() => awsConfigFrom({ settings: { ...CLI_CONFIG, extensions: './rules.mjs' }, env: {} }), InvalidArgumentError),
  ]) {
    assert.is(error.argument, 'extensions');
    assert.match(error.message, 'passes its balanceRules and projections to openAwsEventlake');
  }
});

callers.run();
