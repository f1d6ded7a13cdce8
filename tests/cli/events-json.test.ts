// `eventlake events --json` gives an event's accounts as a JSON array, as GET /events does (it was one
// comma-joined string); the table still prints them comma-joined.

import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { SAMPLES } from '../support/samples.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake events: accounts (CLI)');

/** A data dir holding the seed's transfer, which touches two accounts. */
async function lakeWithTransfer(): Promise<string> {
  const dataDir = join(tempDir(), 'lake');
  const local = await openLocalEventlake({ dataDir });
  try {
    await local.lake.emit(SAMPLES['inter_account_transfer']!);
  } finally {
    await local.close();
  }
  return dataDir;
}

test('--json lists an event\'s accounts as an array', async () => {
  const r = await runCli(['--data-dir', await lakeWithTransfer(), 'events', '--since', '0', '--json']);
  assert.is(r.code, 0, r.stderr);
  const [row] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { accounts: unknown });
  assert.equal(row!.accounts, ['DE44-5001-0517', 'NL91-ABNA-0417']);
});

test('the table prints the accounts comma-joined', async () => {
  const r = await runCli(['--data-dir', await lakeWithTransfer(), 'events', '--since', '0']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, ' DE44-5001-0517,NL91-ABNA-0417 ');
});

test.run();
