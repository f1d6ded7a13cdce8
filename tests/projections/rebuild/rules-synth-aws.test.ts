// The rules of AWS generations as the CLI reads them, when the rebuild function (bundled and minified, as deployed)
// is given the fingerprints its stack's synth computed from the sources (infra/rules-fingerprints.ts): the generation
// it builds reads as built with the same rules from a CLI running those sources, and as other rules once a rule
// changes; without the variables (a stack synthesized before them) it records its bundle's reading, as before, which
// the CLI does not compare. The stack is s3rver and DynamoDB Local (tests/support/aws-cli-stack.ts).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAMBDA_ENV } from '../../../adapters/aws/lambda/config.ts';
import { givenRulesEnvironment } from '../../../adapters/aws/lambda/given-rules.ts';
import { synthRulesFingerprints } from '../../../infra/rules-fingerprints.ts';
import { runCli } from '../../security/cli-run.ts';
import { stack, STACK_ENV } from '../../support/aws-cli-stack.ts';
import { bundleAsDeployed } from '../../support/deployed-bundle.ts';
import { once } from '../../support/run-ahead.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('AWS generations recorded with the synth\'s rules fingerprints (CLI)');

const FUNCTION_ENV = [LAMBDA_ENV.bucket, LAMBDA_ENV.indexTable, LAMBDA_ENV.controlTable, LAMBDA_ENV.tablePrefix, LAMBDA_ENV.rulesFingerprints, LAMBDA_ENV.rulesForm, LAMBDA_ENV.ruleDigests, 'AWS_REGION'];
test.after.each(() => {
  for (const name of [...STACK_ENV, ...FUNCTION_ENV]) delete process.env[name];
});

/**
 * The bundled rebuild code (bundled-rebuild.ts), minified as infra/functions.ts bundles the functions, with the
 * built-in schemas beside it as the functions have them; built once.
 */
const bundled = (() => {
  let loading: Promise<{ rebuild: (payload: unknown) => Promise<unknown> }> | undefined;
  return () => (loading ??= (async () => {
    const outfile = join(tempDir('eventlake-rules-synth-'), 'index.mjs');
    await bundleAsDeployed(join(import.meta.dirname, 'bundled-rebuild.ts'), outfile);
    return import(pathToFileURL(outfile).href) as Promise<{ rebuild: (payload: unknown) => Promise<unknown> }>;
  })());
})();

/** The fingerprints the stack's synth gives the function (no user code): computed once, a child process each time. */
const synthFingerprints = once(() => synthRulesFingerprints(undefined));
const fromSynth = () => givenRulesEnvironment(synthFingerprints());

/** A stack with a few events whose balances the bundled function rebuilt and promoted, with `environment` set; its config. */
async function rebuiltByTheFunction(environment: Record<string, string>): Promise<string> {
  const { config } = await stack(3);
  const settings = JSON.parse(readFileSync(config, 'utf8')) as Record<string, string>;
  Object.assign(process.env, {
    [LAMBDA_ENV.bucket]: settings['bucket'], [LAMBDA_ENV.indexTable]: settings['indexTable'], [LAMBDA_ENV.controlTable]: settings['controlTable'],
    [LAMBDA_ENV.tablePrefix]: settings['tablePrefix'], AWS_REGION: 'us-east-1', ...environment,
  });
  const answer = await (await bundled()).rebuild({ projection: 'balances', from: 0 }) as { status: string };
  assert.is(answer.status, 'promoted');
  return config;
}

/** The balances rules `eventlake status --json` reports: the running ones, the live generation's, and their match. */
async function balancesRules(config: string, ...options: string[]): Promise<{ running: string; live: string; match: string }> {
  const r = await runCli(['--config', config, ...options, 'status', '--json']);
  assert.is(r.code, 0, r.stderr);
  const status = JSON.parse(r.stdout) as { projections: { name: string; rules: { running: string; live: string; match: string } }[] };
  return status.projections.find((p) => p.name === 'balances')!.rules;
}

/** A module replacing the built-in incoming_payment rule: an incoming payment credits twice its amount. */
function changedRule(): string[] {
  const file = join(tempDir(), 'doubled.extensions.mjs');
  writeFileSync(file, `export const balanceRules = { incoming_payment: { decide: (e) => ({ counters: [{ key: String(e.TargetAccount), delta: 2n * BigInt(String(e.Amount).replace('.', '')) }] }) } };\n`);
  return ['--extensions', file];
}

test('a generation the function built with the synth\'s fingerprints reads as built with the running rules', async () => {
  const config = await rebuiltByTheFunction(fromSynth());
  const rules = await balancesRules(config);
  assert.equal([rules.live, rules.match], [rules.running, 'same']);
});

test('once a rule changes, the CLI reads that generation as built with other rules', async () => {
  const config = await rebuiltByTheFunction(fromSynth());
  const rules = await balancesRules(config, ...changedRule());
  assert.is(rules.match, 'other');
  assert.is.not(rules.live, rules.running);
});

test('without the variables the function records its bundle\'s reading, as before: the CLI does not compare it', async () => {
  const config = await rebuiltByTheFunction({});
  const rules = await balancesRules(config);
  assert.is(rules.match, 'unknown');
  assert.match(rules.live, /^balances v1 [0-9a-f]{12} \(other code form: not compared\)$/);
});

test.run();
