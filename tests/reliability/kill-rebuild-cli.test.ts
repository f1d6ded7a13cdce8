// `eventlake rebuild` killed with SIGKILL mid-replay and run again at once resumes its generation: the killed
// process's lease is not left to refuse the operator with REBUILD_IN_PROGRESS for 5 minutes (the kernel freed its
// holder's lock file, adapters/local/lease-marks.ts).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { depositLake } from '../cli/interrupt-support.ts';

const test = suite('eventlake rebuild: killed, then run again at once');
const BIN = fileURLToPath(new URL('../../bin/eventlake.js', import.meta.url));
const REBUILD = ['rebuild', '--projection', 'balances', '--from', '0'];

/** Run the rebuild in a child and SIGKILL it once it reported a replayed batch; its signal, and what it printed. */
function killDuringReplay(dataDir: string): Promise<{ signal: NodeJS.Signals | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...REBUILD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    const watch = (chunk: Buffer) => {
      output += chunk.toString();
      if (/"phase":"replay","done":[1-9]/.test(output)) child.kill('SIGKILL');
    };
    child.stdout.on('data', watch);
    child.stderr.on('data', watch);
    child.on('error', fail);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      done({ signal, output });
    });
  });
}

test('a rebuild killed with SIGKILL during its replay and run again at once resumes its generation and promotes it', async () => {
  // Deposits enough that the replay takes many batches, so the kill lands in it.
  const dataDir = await depositLake();
  const killed = await killDuringReplay(dataDir);
  assert.is(killed.signal, 'SIGKILL', `the rebuild ended before the kill: ${killed.output.slice(-2000)}`);
  const again = await runCli(['--data-dir', dataDir, ...REBUILD]);
  assert.is(again.code, 0, again.stderr.slice(-2000));
  assert.match(again.stdout, 'continued an earlier rebuild of this plan');
  assert.match(again.stdout, /promoted/);
});

test.run();
