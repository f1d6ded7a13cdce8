// `eventlake generations promote N` run again on a generation whose promotion a throwing rule cut short after the
// switch (it is live, short of the events that reached the generation it replaced): it finishes the top-up, where it
// used to answer that N was live already and leave those events out for good.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalEventlake } from '../../adapters/local/index.ts';
import { ProjectionRuleError } from '../../domain/projection-errors.ts';
import { runCli } from '../security/cli-run.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';
import { ACCOUNT, during, FULL_BALANCE, rule, SCHEMAS, withPromoteRuleLake } from './promote-rule-lake.ts';

const test = suite('eventlake generations promote after a promotion cut short by a rule');

/** The fixed rule as an extensions module: every outgoing payment debits its amount. */
function fixedRule(): string {
  const file = join(tempDir(), 'fixed.extensions.mjs');
  writeFileSync(file, 'export const balanceRules = { outgoing_payment: { decide: (e) => ({ counters: [{ key: String(e.SourceAccount), delta: -BigInt(String(e.Amount).replace(\'.\', \'\')) }] }) } };\n');
  return file;
}

/** A data dir whose promotion of generation 2 stopped on the rule after its switch; closed. */
async function cutShortDataDir(): Promise<string> {
  let dir = '';
  await withPromoteRuleLake(async ({ dataDir, coordinator, check }) => {
    dir = dataDir;
    await rejects(() => coordinator.promote('balances', 2, [check]), ProjectionRuleError);
  }, async (local: LocalEventlake) => {
    await local.lake.emit(during());
    rule.refusing = true;
  });
  return dir;
}

test('generations promote run again finishes the top-up of the live generation and loses no event', async () => {
  const dir = await cutShortDataDir();
  const global = ['--data-dir', dir, '--schemas', SCHEMAS, '--extensions', fixedRule()];
  const promoted = await runCli([...global, 'generations', 'promote', '2', '--projection', 'balances']);
  assert.is(promoted.code, 0, promoted.stderr);
  assert.match(promoted.stdout, /finished the promotion of balances generation 2: \d+ event\(s\) that arrived meanwhile topped up/);
  const balance = await runCli([...global, 'balance', ACCOUNT]);
  assert.match(balance.stdout, FULL_BALANCE);
});

test.run();
