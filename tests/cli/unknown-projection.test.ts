// Every command taking --projection refuses a name no loaded projection has, the same way: exit 1, nothing done, the
// option named and the known projections listed (a typo would otherwise list, snapshot or drop nothing, silently).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import { runCli } from '../security/cli-run.ts';
import { tempDir } from '../support/tmp.ts';

const REFUSAL = 'eventlake: INVALID_ARGUMENT: --projection: unknown projection "balance": use one of balances, statement';

for (const args of [['snapshot', 'take', '--projection', 'balance'], ['snapshot', 'list', '--projection', 'balance'], ['generations', 'list', '--projection', 'balance'], ['dlq', 'list', '--projection', 'balance']]) {
  test(`${args.slice(0, 2).join(' ')} --projection with an unknown name exits 1 listing the known projections`, async () => {
    const dataDir = join(tempDir(), 'lake');
    await (await openLocalEventlake({ dataDir })).close(); // read-only commands refuse a data dir that does not exist
    const r = await runCli(['--data-dir', dataDir, ...args]);
    assert.is(r.code, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.match(r.stderr, REFUSAL);
  });
}

test.run();
