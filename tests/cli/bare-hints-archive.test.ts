// Ctrl-C on `archive run` says how to go on with the exact command line to run again, global options included, so it
// finishes compacting the same data dir (a bare `eventlake archive run` would compact ./.eventlake).

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../security/cli-run.ts';
import { emptyDataDir } from '../support/empty-data-dir.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('archive run interrupted names the command to run again');

type Handler = (signal: NodeJS.Signals) => void;

/** The SIGINT handler `argv` installs while it runs (called after, with process.exit stubbed) and what it writes. */
async function interruptedMessage(argv: string[]): Promise<string> {
  let handler: Handler | undefined;
  const once = process.once;
  process.once = ((event: string, fn: Handler) => {
    if (event === 'SIGINT') handler = fn;
    return once.call(process, event, fn);
  }) as typeof process.once;
  try {
    const r = await runCli(argv);
    assert.is(r.code, 0, r.stderr);
  } finally {
    process.once = once;
  }
  assert.ok(handler, 'archive run handles SIGINT');
  const written: string[] = [];
  const [write, exit] = [process.stderr.write, process.exit];
  let exited: () => void = () => {};
  const done = new Promise<void>((resolve) => { exited = resolve; });
  process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write;
  process.exit = (() => { exited(); }) as typeof process.exit;
  try {
    handler('SIGINT');
    await done;
  } finally {
    process.stderr.write = write;
    process.exit = exit;
  }
  return written.join('');
}

test('the message repeats --data-dir, --schemas and the options archive run was given', async () => {
  const dataDir = await emptyDataDir();
  const schemas = tempDir();
  const message = await interruptedMessage(['--data-dir', dataDir, '--schemas', schemas, 'archive', 'run', '--glacier-after-days', '30', '--json']);
  assert.match(message, 'eventlake: interrupted (SIGINT): hours compacted so far are kept and the archive lease freed; ' +
    `run eventlake --data-dir ${dataDir} --schemas ${schemas} archive run --glacier-after-days 30 --json again to finish`);
});

test.run();
