// The rules a generation was built with, through the coordinator on a local data dir (SQLite projection store):
// the cases are in rules-changed-cases.ts, shared with the DynamoDB run.
import { suite } from 'uvu';
import { localScenarioCopies } from '../../support/local-scenario-copies.ts';
import { rulesChangedCases } from './rules-changed-cases.ts';

const test = suite('generations built with other rules (SQLite)');
/** Each case gets a copy of one scenario, built once for the file. */
const scenario = localScenarioCopies({ days: 2, eventsPerDay: 20 });

rulesChangedCases(test, async () => {
  const local = await (await scenario()).open();
  return { deps: local, projections: local.projections, close: () => local.close() };
});

test.run();
