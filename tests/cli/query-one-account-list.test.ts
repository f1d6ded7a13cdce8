// `eventlake query --named account_history --param account=A,B` searched for the one account "A,B" and found nothing,
// exit 0. A comma in a parameter that takes one value is refused (exit 1, before the data dir is opened), naming the
// parameter and the fix; a parameter that takes a list still takes it.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planQuery } from '../../cli/query-plan.ts';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';

const test = suite('eventlake query --named: a list given to a one-account parameter');

test('--param account=A,B for account_history is refused naming the parameter, the list and the query that takes several', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'account_history', '--param', 'account=ACC-1,ACC-2'],
    'eventlake: INVALID_ARGUMENT: --param: account_history takes one account, and --param account=ACC-1,ACC-2 gives a list: run it once per account, or use events_to_replay, which takes several (comma-separated)\n');
});

test('--account A,B for reconciliation_totals is refused naming --account', async () => {
  await assertRefusedBeforeOpen(['query', '--named', 'reconciliation_totals', '--account', 'ACC-1,ACC-2'],
    'eventlake: INVALID_ARGUMENT: --account: reconciliation_totals takes one account, and --account ACC-1,ACC-2 gives a list: run it once per account');
});

test('a list parameter (events_to_replay\'s account) still takes a comma-separated list', () => {
  const plan = planQuery(undefined, { named: 'events_to_replay', since: '0', param: ['account=ACC-1,ACC-2'] });
  assert.equal(plan, { kind: 'named', name: 'events_to_replay', params: { account: 'ACC-1,ACC-2', from: '0' } });
});

test.run();
