// The rebuild Lambda's logic: request validation, the hand-off to the coordinator, JSON-safe reports.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild, createRebuildHandler, parseRebuildRequest } from '../../../adapters/aws/lambda/create-rebuild.ts';
import type { RebuildRequest } from '../../../adapters/aws/lambda/create-rebuild.ts';
import type { LambdaLogger } from '../../../adapters/aws/lambda/observability.ts';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';

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

function fakeCoordinator(calls: string[]) {
  return {
    plan: async (r: { projection: string }) => { calls.push(`plan ${r.projection}`); return { projection: r.projection }; },
    rebuild: async () => { calls.push('rebuild'); return { generation: 7 }; },
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
  assert.equal(calls, ['plan balances', 'rebuild', 'verify balances 7 log', 'promote balances 7 1']);
});

coordinator.run();
