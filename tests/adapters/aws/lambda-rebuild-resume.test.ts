// The rebuild function takes over a finished generation of its plan (resumeFinished): it verifies it again every time,
// so a generation that failed verification once is never promoted on a later invocation without passing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { coordinatorRebuild } from '../../../adapters/aws/lambda/create-rebuild.ts';
import { ReplayVerificationError } from '../../../domain/projection-errors.ts';
import type { DomainEvent } from '../../../domain/event.ts';
import type { RebuildCoordinator } from '../../../projections/rebuild/coordinator.ts';
import { rejects } from '../../support/async.ts';
import { SAMPLES } from '../../support/samples.ts';
import { withFreshLake } from '../../projections/rebuild/fresh-lake.ts';

/** A deposit the log never held: applied to a generation, it makes that generation differ from the log. */
const stray = { ...SAMPLES['cash_deposit']!, RequestId: '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f' } as DomainEvent;

const test = suite('rebuild function: resuming a finished generation');

test('a generation that failed verification is verified again by the next invocation that takes it over, and not promoted', async () => {
  await withFreshLake(async (local, real) => {
    const balances = local.projections.find((p) => p.name === 'balances')!;
    const verified: number[] = [];
    const coordinator = {
      plan: real.plan.bind(real), rebuild: real.rebuild.bind(real), promote: real.promote.bind(real),
      verify: async (...args: Parameters<RebuildCoordinator['verify']>) => {
        // Before the first verification the generation is made to differ from the log (a fold bug, a stray write).
        if (verified.length === 0) await local.store.apply(balances, args[1], [stray]);
        verified.push(args[1]);
        return real.verify(...args);
      },
    };
    const rebuild = coordinatorRebuild(coordinator);
    const request = { projection: 'balances', from: 0, dryRun: false };
    await rejects(() => rebuild(request), ReplayVerificationError);
    await rejects(() => rebuild(request), ReplayVerificationError);
    assert.equal(verified.length, 2);
    assert.is(verified[1], verified[0], 'the second invocation took over the same generation');
    assert.is(await local.store.liveGeneration('balances'), 1, 'the generation that differs never went live');
  });
});

test.run();
