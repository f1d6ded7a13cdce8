// Commands the CLI's own lines suggest (balance's refusal of an empty account, repair index's warnings) are spelled
// with the global options given (--data-dir, --schemas), so the line runs as printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataDirLayout } from '../../adapters/local/layout.ts';
import { SqliteCheckpointStore } from '../../adapters/local/sqlite-checkpoint-store.ts';
import { runCli } from '../security/cli-run.ts';
import { loseIndex, populatedDataDir } from '../support/index-repair-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('CLI lines spell the commands they suggest with the global options');

const SCHEMAS = join(resolve(fileURLToPath(new URL('../..', import.meta.url))), 'examples/outgoing-payment/schemas');

test('balance of an empty account names balance for every account with the global options', async () => {
  const dir = join(tempDir(), 'lake');
  const r = await runCli(['--data-dir', dir, '--schemas', SCHEMAS, 'balance', '']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, `leave it out (\`eventlake --data-dir ${dir} --schemas ${SCHEMAS} balance\`) for every account`);
});

test('repair index warning of archived events no projection has names the rebuild that applies them with the global options', async () => {
  const { dir } = await populatedDataDir();
  // The dispatch tail stood before most archived events: the repair counts them as dispatched and warns.
  const checkpoints = new SqliteCheckpointStore(dataDirLayout(dir).dispatchDb);
  try {
    await checkpoints.set('dispatch', 10);
  } finally {
    checkpoints.close();
  }
  loseIndex(dir);
  const r = await runCli(['--data-dir', dir, '--schemas', SCHEMAS, 'repair', 'index']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `no projection has them; run eventlake --data-dir ${dir} --schemas ${SCHEMAS} rebuild --projection P --from 0 for each projection P to apply them`);
});

test.run();
