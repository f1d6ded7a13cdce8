// A rebuild told to resume a generation by its number (the library's `generation`, the rebuild function's next
// invocation) refuses a finished one in the words `generations list` uses for its state, whatever the phase its
// checkpoint stored: one written before the 'finished' mark still reads 'replaying'.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { freshLakeCopies } from './fresh-lake-copies.ts';

const test = suite('startGeneration refusal of a finished generation');
const withFreshLake = freshLakeCopies();

test('resuming by number a finished rebuild whose checkpoint predates the finished mark names its state, not its raw phase', async () => {
  await withFreshLake(async (local, coordinator) => {
    const plan = await coordinator.plan({ projection: 'balances', from: 0 });
    const kept = await coordinator.rebuild(plan);
    const cp = (await local.store.getCheckpoint('balances', kept.generation))!;
    // As a rebuild older than the 'finished' mark left it: replayed to its mark, its phase never moved on.
    // (older than rules fingerprints too, which came after that mark)
    const { rulesFingerprint: _fingerprint, rulesForm: _form, ...older } = cp as typeof cp & { rulesFingerprint?: string; rulesForm?: string };
    await local.store.setCheckpoint('balances', kept.generation, { ...older, phase: 'replaying' });
    const error = await rejects(() => coordinator.rebuild(plan, { generation: kept.generation }), InvalidArgumentError);
    assert.match(error.message, `balances generation ${kept.generation} is a finished rebuild (finished), not one to resume`);
    assert.not.match(error.message, 'replaying');
  });
});

test.run();
