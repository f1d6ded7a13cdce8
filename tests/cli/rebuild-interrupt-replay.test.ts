// Ctrl-C (or SIGTERM) while `eventlake rebuild` replays stops it between batches: exit 130/143, the unfinished
// generation kept and its lease freed. The replay's SQLite applies never yield to the event loop, so before the CLI
// yielded once a batch the signal waited until the rebuild had verified and promoted, and the command exited 0.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { withDataDir } from '../support/emitted-data-dir.ts';
import { tempDir } from '../support/tmp.ts';
import { runCli } from '../security/cli-run.ts';

const test = suite('eventlake rebuild: interrupted during the replay');
const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));

/** Deposits enough that the replay takes many batches (500, then doubling) and a second or more. */
function deposits(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    EventType: 'cash_deposit', SchemaVersion: 1, EventTimeStamp: 1714000000 + i, TargetAccount: `ACC-${String(i % 50).padStart(4, '0')}`,
    Amount: '1.00', LocationType: 'ATM', Verified: false, Currency: { '1-euro-coins': 1 },
  }));
}

/** Run the rebuild, send `signal` once its first replay batch is reported, and return its exit code and stderr. */
function interruptReplay(dataDir: string, signal: NodeJS.Signals): Promise<{ code: number | null; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (!sent && /"phase":"replay","done":[1-9]/.test(err)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, err });
    });
  });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during the replay exits ${code} and keeps the generation unfinished, not promoted`, async () => {
    const dataDir = join(tempDir(), 'lake');
    await withDataDir(dataDir, (local) => local.lake.emit(deposits(30_000)));
    const r = await interruptReplay(dataDir, signal);
    assert.is(r.code, code, r.err.slice(-2000));
    assert.match(r.err, `eventlake: interrupted (${signal}): the unfinished generation is kept`);
    const listed = await runCli(['--data-dir', dataDir, 'generations', 'list']);
    assert.match(listed.stdout, /balances\s+2\s+unfinished/);
  });
}

test.run();
