// `eventlake query --since/--until`: an empty --until (an unset shell variable) is refused naming it, not read as "to
// the log's end"; bounds within one second (…:59.2Z to …:59.7Z) hold no whole second and answer no rows instead of
// being refused as swapped; truly swapped bounds are still refused. Fractions round up, as for `events`. `restore
// --since/--until` treats bounds within one second the same way (it refused them as "must be after --since").
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planQuery } from '../../cli/query-plan.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { replayParams } from '../../domain/query-params.ts';
import { runCli } from '../security/cli-run.ts';
import { emittedDataDir } from '../support/emitted-data-dir.ts';
import { SAMPLES } from '../support/samples.ts';
import { thrown } from '../support/thrown.ts';

const test = suite('query --since/--until: empty and sub-second bounds');

test('an empty --until is refused naming --until', () => {
  const error = thrown(() => planQuery(undefined, { since: '2001-01-01T00:59:58Z', until: '' }), InvalidArgumentError);
  assert.is(error.argument, '--until');
  assert.match(error.message, '""');
});

test('bounds within one second plan an empty range, which matches nothing', () => {
  const plan = planQuery(undefined, { since: '2001-01-01T00:59:59.2Z', until: '2001-01-01T00:59:59.7Z' });
  assert.is(plan.kind, 'range');
  if (plan.kind !== 'range') return;
  assert.is(plan.query.from, plan.query.to);
  assert.is(replayParams(plan.query), undefined);
});

test('swapped bounds within one second are still refused', () => {
  const error = thrown(() => planQuery(undefined, { since: '2001-01-01T00:59:59.7Z', until: '2001-01-01T00:59:59.2Z' }), InvalidArgumentError);
  assert.match(error.message, 'the range is empty');
});

test('a fractional --since rounds up to the next whole second', () => {
  const plan = planQuery(undefined, { since: '2001-01-01T00:59:58.5Z', until: '2001-01-01T01:00:00Z' });
  assert.is(plan.kind === 'range' && plan.query.from, 978_310_799);
});

test('restore --since/--until within one second restores nothing and exits 0; swapped, it is refused', async () => {
  const dataDir = await emittedDataDir([SAMPLES['cash_deposit']!]);
  const within = await runCli(['--data-dir', dataDir, 'restore', '--since', '2009-02-13T23:31:30.2Z', '--until', '2009-02-13T23:31:30.7Z']);
  assert.is(within.code, 0, within.stderr);
  assert.match(within.stderr, 'no archived objects in that range');
  const swapped = await runCli(['--data-dir', dataDir, 'restore', '--since', '2009-02-13T23:31:30.7Z', '--until', '2009-02-13T23:31:30.2Z']);
  assert.is(swapped.code, 1);
  assert.match(swapped.stderr, '--until: must be after --since');
});

test.run();
