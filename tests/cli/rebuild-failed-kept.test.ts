// A rebuild that promotes takes over the finished generation its plan kept earlier (resumeFinished), so a generation
// whose verification failed is continued by every later `eventlake rebuild` of that plan, and fails again, until it is
// dropped. The failure says so, with the drop that gives a fresh rebuild.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { runCli } from '../security/cli-run.ts';
import { buildLocalScenario } from '../support/fakes/local-scenario.ts';

const test = suite('rebuild of a plan whose kept generation fails verification');

test('a failed verification says the next rebuild of the same plan continues the generation, and that dropping it gives a fresh one', async () => {
  const dir = (await buildLocalScenario({ days: 2, eventsPerDay: 20 })).dataDir;
  const kept = await runCli(['--data-dir', dir, 'rebuild', '--projection', 'balances', '--from', '0', '--no-promote']);
  assert.is(kept.code, 0, kept.stderr);
  // A kept generation whose data went wrong (a bug since fixed, a hand edit): it no longer matches the log.
  const db = new Database(join(dir, 'projections.db'));
  db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'balances' AND generation = 2").run();
  db.close();
  const again = await runCli(['--data-dir', dir, 'rebuild', '--projection', 'balances', '--from', '0']);
  assert.is(again.code, 1);
  assert.match(again.stdout, 'into generation 2 (continued an earlier rebuild of this plan');
  assert.match(again.stderr, 'the next eventlake rebuild of this plan continues generation 2');
  assert.match(again.stderr, `drop it first (eventlake --data-dir ${dir} generations drop 2 --projection balances) for a fresh one`);
});

test.run();
