// The rebuild Lambda's logic: request validation, the hand-off to the coordinator, JSON-safe reports.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  coordinatorRebuild, createRebuildHandler, DEFAULT_RESTORE_WAIT_MS, parseRebuildRequest, RESTORE_MARGIN_MS,
} from '../../../adapters/aws/lambda/create-rebuild.ts';
import type { RebuildRequest } from '../../../adapters/aws/lambda/create-rebuild.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { InvalidArgumentError, TransientError } from '../../../domain/errors.ts';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rehydrate } from '../../../projections/rebuild/rehydrate.ts';
import { rebuildCheckpointName } from '../../../projections/rebuild/promote.ts';
import { rejects } from '../../support/async.ts';
import { withFreshLake } from '../../projections/rebuild/fresh-lake.ts';

const quiet: LambdaLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const MARCH = Date.parse('2024-03-01T00:00:00Z');

const parse = suite('parseRebuildRequest');

parse('from and until accept epoch ms or ISO-8601, and dryRun defaults to false', () => {
  assert.equal(parseRebuildRequest({ projection: 'balances', from: '2024-03-01T00:00:00Z', until: MARCH + 1000 }),
    { projection: 'balances', from: MARCH, until: MARCH + 1000, dryRun: false });
});

parse('without from, the rebuild starts from an empty projection', () => {
  assert.equal(parseRebuildRequest({ projection: 'statement', dryRun: true }), { projection: 'statement', from: 0, dryRun: true });
});

parse('a missing projection, a bad time or until before from is an InvalidArgumentError naming the field', () => {
  const field = (payload: unknown) => {
    try { parseRebuildRequest(payload); } catch (e) { return e instanceof InvalidArgumentError ? e.argument : 'other'; }
    return 'none';
  };
  assert.equal([field({}), field({ projection: 'b', from: 'yesterday' }), field({ projection: 'b', from: 5, until: 5 }), field({ projection: 'b', dryRun: 'yes' })],
    ['projection', 'from', 'until', 'dryRun']);
});

parse.run();

const handler = suite('rebuild handler');

handler('the validated request reaches the injected rebuild, and bigints in its report become strings', async () => {
  const seen: RebuildRequest[] = [];
  const run = createRebuildHandler({ rebuild: async (r) => { seen.push(r); return { total: 12345n }; }, logger: quiet });
  const out = await run({ projection: 'balances', from: MARCH, dryRun: true });
  assert.equal(seen, [{ projection: 'balances', from: MARCH, dryRun: true }]);
  assert.equal(out, { total: '12345' });
});

handler.run();

const coordinator = suite('coordinatorRebuild');

function fakeCoordinator(calls: string[], rebuildFails: unknown[] = []) {
  return {
    plan: async (r: { projection: string }) => { calls.push(`plan ${r.projection}`); return { projection: r.projection }; },
    rebuild: async (_plan: unknown, options: { poll?: { timeoutMs?: number } }) => {
      calls.push(`rebuild (restore wait ${options.poll?.timeoutMs} ms)`);
      const failure = rebuildFails.shift();
      if (failure) throw failure;
      return { generation: 7 };
    },
    verify: async (name: string, generation: number, against: string) => { calls.push(`verify ${name} ${generation} ${against}`); return { ok: true }; },
    promote: async (name: string, generation: number, checks: readonly unknown[]) => { calls.push(`promote ${name} ${generation} ${checks.length}`); return {}; },
  } as unknown as Pick<RebuildCoordinator, 'plan' | 'rebuild' | 'verify' | 'promote'>;
}

coordinator('a dry run plans and writes nothing', async () => {
  const calls: string[] = [];
  await coordinatorRebuild(fakeCoordinator(calls))({ projection: 'balances', from: 0, dryRun: true });
  assert.equal(calls, ['plan balances']);
});

coordinator('a rebuild is verified against the log before it is promoted', async () => {
  const calls: string[] = [];
  await coordinatorRebuild(fakeCoordinator(calls))({ projection: 'balances', from: 0, dryRun: false });
  assert.equal(calls, ['plan balances', `rebuild (restore wait ${DEFAULT_RESTORE_WAIT_MS} ms)`, 'verify balances 7 log', 'promote balances 7 1']);
});

coordinator('a rebuild up to a past time (until) is verified but not promoted', async () => {
  const calls: string[] = [];
  const out = await coordinatorRebuild(fakeCoordinator(calls))({ projection: 'balances', from: 0, until: MARCH, dryRun: false }) as { status: string };
  assert.is(out.status, 'built');
  assert.not.ok(calls.some((c) => c.startsWith('promote')), calls.join('; '));
});

/** The error rehydrate throws when restores outlast its wait (an archive whose restores never finish). */
async function stillRestoring(): Promise<unknown> {
  const archive = {
    storage: async (keys: readonly string[]) => keys.map((key) => ({ key, storageClass: 'GLACIER' as const, restore: 'RESTORING' as const })),
    restore: async () => {}, transition: async () => {},
  };
  return rehydrate({ archive, sleep: async () => {} }, ['events/a.event'], { tier: 'Bulk', days: 1, timeoutMs: 0 }).then(() => undefined, (e: unknown) => e);
}

coordinator('restores that outlast the invocation answer "restoring", and the same request later resumes and promotes', async () => {
  const calls: string[] = [];
  const rebuild = coordinatorRebuild(fakeCoordinator(calls, [await stillRestoring()]));
  const request = { projection: 'balances', from: 0, dryRun: false };
  const first = await rebuild(request) as { status: string; message: string };
  assert.equal([first.status, first.message.includes('invoke again')], ['restoring', true]);
  assert.is(((await rebuild(request)) as { status: string }).status, 'promoted');
});

coordinator('the restore wait ends well before the Lambda timeout', async () => {
  const calls: string[] = [];
  const run = createRebuildHandler({ rebuild: coordinatorRebuild(fakeCoordinator(calls)), logger: quiet });
  await run({ projection: 'balances' }, { getRemainingTimeInMillis: () => 900_000 });
  assert.ok(calls.includes(`rebuild (restore wait ${900_000 - RESTORE_MARGIN_MS} ms)`), calls.join('; '));
});

coordinator('other transient failures are not mistaken for restores in progress', async () => {
  const rebuild = coordinatorRebuild(fakeCoordinator([], [new TransientError('UpdateItem failed after 6 attempts: ThrottlingException')]));
  await rejects(() => rebuild({ projection: 'balances', from: 0, dryRun: false }), TransientError);
});

coordinator('an invocation cut short after its replay is continued by the next one: same generation, nothing replayed again, promoted', async () => {
  await withFreshLake(async (local, real) => {
    const timedOut = new Error('Task timed out after 900.00 seconds');
    let verifies = 0;
    const flaky = {
      plan: real.plan.bind(real), rebuild: real.rebuild.bind(real), promote: real.promote.bind(real),
      verify: (...args: Parameters<RebuildCoordinator['verify']>) => (verifies++ === 0 ? Promise.reject(timedOut) : real.verify(...args)),
    };
    const rebuild = coordinatorRebuild(flaky);
    const request = { projection: 'balances', from: 0, dryRun: false };
    await rejects(() => rebuild(request), Error);
    const first = await local.checkpoints.get(rebuildCheckpointName('balances'));
    const out = await rebuild(request) as { status: string; built: { generation: number; resumed: boolean; objectsRead: number } };
    assert.equal([out.status, out.built.generation, out.built.resumed, out.built.objectsRead], ['promoted', first, true, 0]);
    assert.is(await local.store.liveGeneration('balances'), first);
    assert.equal(await local.store.listGenerations!('balances'), [1, first], 'no generation built beside it');
  });
});

coordinator.run();
