// GET /balances and GET /balances/ACCOUNT on a lake whose live balances generation holds events a process with other
// rules folded: the JSON answer carries `foldedWithOtherRules` (as `status --json`) and the `warning` `eventlake
// balance` writes, its rebuild command spelled with the server's global options; an answer without such folds has neither.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { followUp } from '../../cli/follow-up.ts';
import { buildServer } from '../../cli/server.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('GET /balances with folds made with other rules');

const ACCOUNT = String(SAMPLES.cash_deposit!['TargetAccount']);
const FOLD = { rules: 'balances v1 0123456789ab', firstAt: Date.UTC(2024, 3, 25), events: 2 };

interface Answer { balances?: object; balance?: string; foldedWithOtherRules?: typeof FOLD; warning?: string }

/** The answers of GET /balances and GET /balances/ACCOUNT on a lake holding one deposit, after `prepare`. */
async function answers(prepare: (local: LocalEventlake) => Promise<void>): Promise<Answer[]> {
  const out: Answer[] = [];
  await withLake(async (local) => {
    await local.lake.emit(SAMPLES.cash_deposit!);
    await prepare(local);
    const app = buildServer(local, { command: followUp({ dataDir: local.dataDir, schemaFolders: [] }) });
    try {
      for (const url of ['/balances', `/balances/${encodeURIComponent(ACCOUNT)}`]) {
        const r = await app.inject({ method: 'GET', url });
        assert.is(r.statusCode, 200, r.body);
        out.push(r.json<Answer>());
      }
    } finally {
      await app.close();
    }
  });
  return out;
}

test('both answers carry foldedWithOtherRules and the warning with the rebuild to run, spelled with the server\'s options', async () => {
  let dataDir = '';
  const both = await answers(async (local) => {
    dataDir = local.dataDir;
    await local.store.noteForeignFold!('balances', await local.store.liveGeneration('balances'), FOLD);
  });
  for (const answer of both) {
    assert.equal(answer.foldedWithOtherRules, FOLD);
    assert.match(String(answer.warning), 'balances live generation 1: 2 events were folded into it since 2024-04-25T00:00:00.000Z by a process with other rules (balances v1 0123456789ab)');
    assert.match(String(answer.warning), `(eventlake --data-dir ${dataDir} rebuild --projection balances --from 0)`);
  }
  assert.ok(both[0]!.balances && both[1]!.balance !== undefined, 'the balances are answered as before');
});

test('without such folds neither answer has foldedWithOtherRules or a warning', async () => {
  for (const answer of await answers(async () => {})) {
    assert.equal([answer.foldedWithOtherRules, answer.warning], [undefined, undefined]);
  }
});

test.run();
