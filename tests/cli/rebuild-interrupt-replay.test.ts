// Ctrl-C (or SIGTERM) while `eventlake rebuild` replays or verifies stops it before it promotes: exit 130/143, the
// generation kept and its lease freed. The replay's SQLite applies and the verification's fold never yield to the
// event loop, so before the CLI yielded between batches and before promoting, the signal waited until the rebuild had
// promoted, and the command exited 0.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { depositLake } from './interrupt-support.ts';

const test = suite('eventlake rebuild: interrupted during the replay');
const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));

/** Run a rebuild from `from`, send `signal` once its output (stdout then stderr) matches `when`, return its exit code and stderr. */
function interruptRebuild(dataDir: string, from: string, when: RegExp, signal: NodeJS.Signals): Promise<{ code: number | null; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'rebuild', '--projection', 'balances', '--from', from], { stdio: ['ignore', 'pipe', 'pipe'] });
    let [out, err] = ['', ''];
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const watch = () => {
      if (!sent && when.test(out + err)) {
        sent = true;
        child.kill(signal);
      }
    };
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); watch(); });
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); watch(); });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, err });
    });
  });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during the replay exits ${code} and keeps the generation unfinished, not promoted`, async () => {
    // Deposits enough that the replay takes many batches (500, then doubling) and a second or more.
    const dataDir = await depositLake();
    const r = await interruptRebuild(dataDir, '0', /"phase":"replay","done":[1-9]/, signal);
    assert.is(r.code, code, r.err.slice(-2000));
    assert.match(r.err, `eventlake: interrupted (${signal}): the unfinished generation is kept`);
    const listed = await runCli(['--data-dir', dataDir, 'generations', 'list']);
    assert.match(listed.stdout, /balances\s+2\s+unfinished/);
  });
}

// An interruption during the verification: tests/cli/rebuild-interrupt-verify-message.test.ts (exit 130, the
// message, and the generation listed as finished).

test.run();
