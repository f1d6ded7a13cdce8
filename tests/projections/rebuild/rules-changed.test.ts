// The rules a generation was built with, through the coordinator on a local data dir (SQLite projection store):
// the cases are in rules-changed-cases.ts, shared with the DynamoDB run.
import { suite } from 'uvu';
import { buildLocalScenario } from '../../support/fakes/local-scenario.ts';
import { rulesChangedCases } from './rules-changed-cases.ts';

const test = suite('generations built with other rules (SQLite)');

rulesChangedCases(test, async () => {
  const local = await (await buildLocalScenario({ days: 2, eventsPerDay: 20 })).open();
  return { deps: local, projections: local.projections, close: () => local.close() };
});

test.run();
