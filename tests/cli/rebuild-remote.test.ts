// `eventlake rebuild --remote`: the flags it takes, the request it sends the stack's rebuild function, how answers print.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EXIT_RESTORING } from '../../cli/commands/rebuild-remote.ts';
import type { RebuildReport } from '../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../projections/rebuild/plan.ts';
import type { PromoteReport } from '../../projections/rebuild/promote.ts';
import { renderPlan, renderPromote, renderRebuild, renderVerify } from '../../projections/rebuild/render.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const MARCH = Date.parse('2024-03-01T00:00:00Z');
const AWS_NAMES = { region: 'eu-west-1', bucket: 'acme-events', indexTable: 'eventlake-index', controlTable: 'eventlake-control' };

// Reports as the function returns them (JSON), in the shapes of the coordinator's own reports.
const PLAN: RebuildPlan = {
  projection: 'balances', from: MARCH, baseMark: 0, mark: 120, events: { count: 120, bytes: 61_440, objects: 3 },
  tiers: [{ storageClass: 'STANDARD', restored: false, events: 120, bytes: 61_440, objects: 3 }] as unknown as RebuildPlan['tiers'],
  restores: { GLACIER: { objects: 0, bytes: 0 }, DEEP_ARCHIVE: { objects: 0, bytes: 0 } } as unknown as RebuildPlan['restores'], estimates: [], warnings: [],
};
const BUILT = {
  projection: 'balances', generation: 4, resumed: false, checkpoint: { applied: 120, duplicates: 0, skipped: 0 },
  rehydrated: { objects: 0, requested: {}, alreadyReadable: 0, polls: 0 }, phases: [{ phase: 'replay', ms: 12 }], objectsRead: 3, eventsPerSecond: 10_000,
} as unknown as RebuildReport;
const VERIFIED: VerifyReport = { projection: 'balances', generation: 4, against: 'log', reference: 'the log', mark: 120, passed: true, accounts: 5, rows: 0, differences: [] };
const PROMOTED: PromoteReport = { projection: 'balances', generation: 4, previous: 3, toppedUp: 0 };
const RESTORING = { status: 'restoring', plan: PLAN, message: 'archived objects still restoring (invoke again with the same request)' };

const lambda = mockClient(LambdaClient);
const answer = (payload: unknown, extra: Partial<InvokeCommandOutput> = {}) =>
  ({ StatusCode: 200, Payload: new TextEncoder().encode(JSON.stringify(payload)), ...extra }) as unknown as InvokeCommandOutput;
const requests = () => lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
const payloads = () => requests().map((r) => JSON.parse(new TextDecoder().decode(r.Payload as Uint8Array)) as unknown);

function configFile(content: Record<string, unknown>): string {
  const file = join(tempDir(), 'eventlake.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}
const AWS_CONFIG = () => configFile({ target: 'aws', ...AWS_NAMES, rebuildFunction: 'bank-rebuild' });

/** `eventlake …` in-process on a fresh data directory, with what it writes captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = await runCli(['--data-dir', join(tempDir(), 'data'), ...args]);
  return { code: run.code, out: run.stdout, err: run.stderr };
}

const test = suite('eventlake rebuild --remote');
test.before.each(() => { lambda.reset(); });

test('--remote on the local target is refused, naming --remote and that it needs --target aws; nothing is invoked', async () => {
  const run = await cli(['--target', 'local', 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('INVALID_ARGUMENT: --remote: needs --target aws'), run.err);
  assert.is(requests().length, 0);
});

test('--dry-run sends projection, --from and --until in epoch ms and dryRun true, synchronously, to the configured function', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'planned', plan: PLAN }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '2024-03-01T00:00:00Z', '--until', '2024-03-02T00:00:00Z', '--dry-run', '--remote']);
  assert.is(run.code, 0, run.err);
  assert.equal(requests().map((r) => [r.FunctionName, r.InvocationType]), [['bank-rebuild', 'RequestResponse']]);
  assert.equal(payloads(), [{ projection: 'balances', from: MARCH, until: MARCH + 86_400_000, dryRun: true }]);
});

test('a planned report prints as the local dry run prints its plan', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'planned', plan: PLAN }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '2024-03-01T00:00:00Z', '--dry-run', '--remote']);
  assert.is(run.out, `${renderPlan(PLAN).join('\n')}\n`);
});

test('without --dry-run dryRun is false, and a promoted report prints plan, rebuild, verification and promotion', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'promoted', plan: PLAN, built: BUILT, verification: VERIFIED, promoted: PROMOTED }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, 0, run.err);
  assert.equal(payloads(), [{ projection: 'balances', from: 0, dryRun: false }]);
  assert.is(run.out, `${[...renderPlan(PLAN), ...renderRebuild(BUILT), ...renderVerify(VERIFIED), ...renderPromote(PROMOTED)].join('\n')}\n`);
});

test('--json prints the function\'s report as it returned it', async () => {
  const report = { status: 'promoted', plan: PLAN, built: BUILT, verification: VERIFIED, promoted: PROMOTED };
  lambda.on(InvokeCommand).resolves(answer(report));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote', '--json']);
  assert.equal(run.out.trim().split('\n').map((l) => JSON.parse(l) as unknown), [report]);
});

test('a report of a shape this CLI cannot render is printed as JSON, not dropped', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'replanned', plan: { projection: 'balances' } }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, 0, run.err);
  assert.ok(run.out.includes('"replanned"') && run.out.includes('cannot render'), run.out);
});

test('a restoring answer without --wait says to run the same command again later (or --wait) and exits 75', async () => {
  lambda.on(InvokeCommand).resolves(answer(RESTORING));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, EXIT_RESTORING);
  assert.is(EXIT_RESTORING, 75);
  assert.ok(run.err.includes('archived objects are being restored') && run.err.includes('run the same command again later') && run.err.includes('--wait'), run.err);
  assert.is(requests().length, 1);
});

test('--wait invokes again with the same request while the answer is restoring, and ends with the final report', async () => {
  lambda.on(InvokeCommand)
    .resolvesOnce(answer(RESTORING)).resolvesOnce(answer(RESTORING))
    .resolves(answer({ status: 'promoted', plan: PLAN, built: BUILT, verification: VERIFIED, promoted: PROMOTED }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote', '--wait', '--poll-interval', '0', '--json']);
  assert.is(run.code, 0, run.err);
  assert.equal(payloads(), Array(3).fill({ projection: 'balances', from: 0, dryRun: false }));
  assert.equal(run.out.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status), ['restoring', 'restoring', 'promoted']);
  assert.is(run.err.split('invoking again').length - 1, 2, run.err);
});

test('a built report whose verification failed exits 1', async () => {
  const failed = { ...VERIFIED, passed: false, differences: [{ account: 'A', kind: 'counter', key: 'A', expected: '1.00', actual: '2.00' }] };
  lambda.on(InvokeCommand).resolves(answer({ status: 'built', plan: { ...PLAN, until: MARCH }, built: BUILT, verification: failed }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--until', '2024-03-01T00:00:00Z', '--remote']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('verification failed'), run.err);
});

test('a kept generation of the function says how to verify and drop it, as a local rebuild does', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'built', plan: { ...PLAN, until: MARCH }, built: BUILT, verification: VERIFIED }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--until', '2024-03-01T00:00:00Z', '--remote']);
  assert.is(run.code, 0);
  // The commands name the lake the rebuild ran against (tests/cli/follow-up-more-commands.test.ts checks the words).
  const lake = 'eventlake --data-dir \\S+ --config \\S+';
  assert.match(run.out, new RegExp(`is kept for inspection \\(--until: a historical view\\) \\(no rebuild drops it: check it with ${lake} verify --projection balances --generation ${BUILT.generation}`));
  assert.match(run.out, new RegExp(`free it with ${lake} generations drop ${BUILT.generation} --projection balances`));
});

test('an InvalidArgumentError from the function exits 1 naming the request field', async () => {
  lambda.on(InvokeCommand).resolves(answer({ errorType: 'InvalidArgumentError', errorMessage: 'projection: unknown projection "balance"' }, { FunctionError: 'Unhandled' }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balance', '--from', '0', '--remote']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('INVALID_ARGUMENT: projection: unknown projection "balance" (refused by the rebuild function bank-rebuild)'), run.err);
});

test('a failed function exits 1 with the errorType and errorMessage Lambda reported', async () => {
  lambda.on(InvokeCommand).resolves(answer({ errorType: 'StorageError', errorMessage: 'table missing' }, { FunctionError: 'Unhandled' }));
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('REBUILD_FUNCTION_FAILED') && run.err.includes('StorageError: table missing'), run.err);
});

test('options the function takes no field for are refused with --remote, naming the option', async () => {
  for (const [flag, args] of [['--restore-tier', ['--restore-tier', 'Bulk']], ['--restore-days', ['--restore-days', '2']], ['--against', ['--against', 'live']], ['--no-promote', ['--no-promote']]] as const) {
    const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote', ...args]);
    assert.is(run.code, 1, flag);
    assert.ok(run.err.includes(`INVALID_ARGUMENT: ${flag}: does not go with --remote`), run.err);
  }
  assert.is(requests().length, 0);
});

test('--wait and --poll-interval without --remote are refused, naming the option', async () => {
  for (const [flag, args] of [['--wait', ['--wait']], ['--poll-interval', ['--poll-interval', '5']]] as const) {
    const run = await cli(['rebuild', '--projection', 'balances', '--from', '0', ...args]);
    assert.is(run.code, 1, flag);
    assert.ok(run.err.includes(`INVALID_ARGUMENT: ${flag}: only with --remote`), run.err);
  }
});

test('a --poll-interval that is not a number of seconds is refused', async () => {
  const run = await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--remote', '--wait', '--poll-interval', 'soon']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('--poll-interval: soon is not a number of seconds'), run.err);
});

test('without a rebuild function in the config the error names rebuildFunction, EVENTLAKE_REBUILD_FUNCTION and the stack output', async () => {
  const run = await cli(['--config', configFile({ target: 'aws', ...AWS_NAMES }), 'rebuild', '--projection', 'balances', '--from', '0', '--remote']);
  assert.is(run.code, 1);
  assert.ok(run.err.includes('INVALID_ARGUMENT: rebuildFunction') && run.err.includes('EVENTLAKE_REBUILD_FUNCTION') && run.err.includes('RebuildFunctionName'), run.err);
});

test('EVENTLAKE_REBUILD_FUNCTION names the function, and wins over the config file', async () => {
  lambda.on(InvokeCommand).resolves(answer({ status: 'planned', plan: PLAN }));
  process.env['EVENTLAKE_REBUILD_FUNCTION'] = 'other-rebuild';
  try {
    assert.is((await cli(['--config', AWS_CONFIG(), 'rebuild', '--projection', 'balances', '--from', '0', '--dry-run', '--remote'])).code, 0);
  } finally {
    delete process.env['EVENTLAKE_REBUILD_FUNCTION'];
  }
  assert.is(requests()[0]?.FunctionName, 'other-rebuild');
});

test.run();
