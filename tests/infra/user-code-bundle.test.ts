// The bundle a stack with schemaFolders and an extensions module deploys, built for real by esbuild (NodejsFunction's
// options): it carries the user's rule and schema files, and its handler's setup validates, upcasts and folds the user's type.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAMBDA_ENV } from '../../adapters/aws/lambda/config.ts';
import type { Deployment } from '../../adapters/aws/lambda/deployment.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { applyToState, emptyState } from '../../domain/projection.ts';
import { copySchemaFolderCommands, generatedEntry, userCodeEnvironment, type UserCode } from '../../infra/user-code.ts';
import { bundleAsDeployed, PROJECT_ROOT } from '../support/deployed-bundle.ts';
import { tempDir } from '../support/tmp.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/user-types');
const userCode: UserCode = { schemaFolders: [join(FIXTURE, 'schemas')], extensions: join(FIXTURE, 'extensions.ts') };
const fee: DomainEvent = {
  EventType: 'parcel_fee', SchemaVersion: 1, RequestId: '7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f', EventTimeStamp: 1_714_000_000, Account: 'DE44-0001', Fee: '4.50',
};

/** Bundle the generated entry as NodejsFunction does (then its afterBundling copies), and load it as Lambda would. */
async function deployed(entry: 'rebuild' | 'projector'): Promise<{ dir: string; deployment: Deployment }> {
  const dir = tempDir(`eventlake-bundle-${entry}-`);
  await bundleAsDeployed(generatedEntry(PROJECT_ROOT, entry, userCode.extensions!), join(dir, 'index.mjs'));
  execSync(copySchemaFolderCommands(userCode, dir).join(' && '));
  Object.assign(process.env, {
    [LAMBDA_ENV.bucket]: 'lake', [LAMBDA_ENV.indexTable]: 'index', [LAMBDA_ENV.controlTable]: 'control', [LAMBDA_ENV.projection]: 'balances',
    AWS_REGION: 'eu-west-1', ...userCodeEnvironment(userCode),
  });
  const module = await import(pathToFileURL(join(dir, 'index.mjs')).href) as { handler: unknown; deployment: Deployment };
  assert.type(module.handler, 'function');
  return { dir, deployment: module.deployment };
}

const test = suite('a function bundle with the user\'s schemas and extensions');

for (const entry of ['rebuild', 'projector'] as const) {
  test(`the ${entry} bundle carries the schema files and the module's rule, and its registry accepts and upcasts the user's type`, async () => {
    const { dir, deployment } = await deployed(entry);
    assert.ok(existsSync(join(dir, 'user-schemas', '0-schemas', 'parcel_fee.v2.json')));
    assert.ok(readFileSync(join(dir, 'index.mjs'), 'utf8').includes('Waived'), 'the module\'s rule and upcaster are in the bundle');
    const lifted = deployment.registry.upcast(deployment.registry.validate(fee));
    assert.equal([lifted.SchemaVersion, lifted['Waived']], [2, false]);
    const state = emptyState();
    assert.is(applyToState(state, deployment.projections.find((p) => p.name === 'balances')!, lifted), 'applied');
    assert.equal([...state.counters.entries()], [['DE44-0001', -450n]]);
  });
}

test.run();
