// `eventlake status`: the state of a data dir at a glance, for people and (--json) for scripts.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { decorateWith } from '../support/faults.ts';
import { variant } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake status (CLI)');

/** A data dir holding `n` deposits, indexed but (the checkpoint write failed) not marked dispatched. */
async function lagging(n: number): Promise<string> {
  const dataDir = tempDir();
  const local = await openLocalEventlake({ dataDir, decorate: decorateWith({ checkpoints: { method: 'set', failFirst: 1 } }), onCatchUpError: () => {} });
  await local.lake.emit(Array.from({ length: n }, (_, i) => variant('cash_deposit', { RequestId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}` })));
  await local.close();
  return dataDir;
}

test('the text form names the events, the dispatch lag and how to catch up, dead letters and each projection', async () => {
  const dataDir = await lagging(5);
  const r = await runCli(['--data-dir', dataDir, 'status']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^events: +5 \(last position 5\)$/m);
  assert.match(r.stdout, `\ndispatch:     at position 0, 5 behind (\`eventlake --data-dir ${dataDir} run\` or any emit or read catches up)\n`);
  assert.match(r.stdout, /^dead letters: none$/m);
  assert.match(r.stdout, /^balances +1 +none$/m);
  assert.match(r.stdout, /^STANDARD +1 +5 /m);
});

test('--json is one object a script can read, and reading it changed nothing', async () => {
  const dataDir = await lagging(2);
  const first = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  const again = JSON.parse((await runCli(['--data-dir', dataDir, 'status', '--json'])).stdout) as Record<string, unknown>;
  assert.is(first['events'], 2);
  assert.is(first['undispatchedPositions'], 2);
  assert.equal(again, first);
});

test.run();
