// `eventlake dlq list|redrive --projection P`: one projection's dead letters. The option was `--target`, which the
// global `--target local|aws` took first, so filtering by projection was refused as a bad target.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake dlq --projection (CLI)');

/** A data dir with one stored deposit, dead-lettered (by hand) for both built-in projections. */
async function lakeWithDeadLetters(): Promise<{ dataDir: string; id: string }> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir });
  try {
    const [stored] = await local.lake.emit(SAMPLES['cash_deposit']!);
    const id = stored!.id;
    for (const target of ['balances', 'statement']) await local.deadLetters.add({ id, target, error: 'boom', attempts: 8, failedAt: 0 });
    return { dataDir, id };
  } finally {
    await local.close();
  }
}

const targetsListed = (stdout: string): string[] => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { target: string }).target);

test('dlq list --projection lists only that projection\'s dead letters', async () => {
  const { dataDir } = await lakeWithDeadLetters();
  const r = await runCli(['--data-dir', dataDir, 'dlq', 'list', '--projection', 'statement', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(targetsListed(r.stdout), ['statement']);
});

test('dlq redrive --projection delivers only that projection\'s dead letters again', async () => {
  const { dataDir } = await lakeWithDeadLetters();
  const r = await runCli(['--data-dir', dataDir, 'dlq', 'redrive', '--projection', 'balances', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { redriven: 1, failed: 0 });
  assert.equal(targetsListed((await runCli(['--data-dir', dataDir, 'dlq', 'list', '--json'])).stdout), ['statement']);
});

test('an unknown projection is refused with exit 1, naming --projection and the projections there are', async () => {
  const { dataDir } = await lakeWithDeadLetters();
  for (const command of ['list', 'redrive']) {
    const r = await runCli(['--data-dir', dataDir, 'dlq', command, '--projection', 'balance']);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, 'eventlake: INVALID_ARGUMENT: --projection: unknown projection "balance": use one of balances, statement');
  }
  assert.equal(targetsListed((await runCli(['--data-dir', dataDir, 'dlq', 'list', '--json'])).stdout), ['balances', 'statement']);
});

test.run();
