// The soak (`npm run soak`, bench/soak.ts) for a few seconds, run as the script itself: emitters, dispatch,
// lifecycle and rebuilds together, then counts that reconcile exactly and exit code 0.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fileURLToPath } from 'node:url';
import { Tally } from '../support/summary.ts';
import { runChild } from './run-child.ts';
import { scratchDir } from './scratch-dir.ts';

const test = suite('soak');
const tally = new Tally();
const SOAK = fileURLToPath(new URL('../../bench/soak.ts', import.meta.url));

test('a 5-second soak reconciles: log events = index rows = applied = replayed by a rebuild, exit 0', async () => {
  const run = await runChild(SOAK, ['--seconds', '5', '--emitters', '3', '--data-dir', scratchDir('eventlake-soak-')], { timeoutMs: 120_000 });
  assert.is(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const count = (label: string) => Number(new RegExp(`^\\s+${label.replace(/[()]/g, '\\$&')}\\s+(\\d+)$`, 'm').exec(run.stdout)?.[1]);
  const expected = count('distinct events acknowledged');
  assert.ok(expected > 100, `only ${expected} events in 5 s`);
  for (const label of ['log event lines', 'log distinct events', 'index rows', 'applied by the projection', 'replayed by the final rebuild']) assert.is(count(label), expected, label);
  assert.ok(count('rebuilds during the soak (half promoted)') > 0 && count('lifecycle runs during the soak') > 0, 'a rebuild and a lifecycle run overlapped the emitters');
  assert.match(run.stdout, 'soak: counts reconcile exactly');
  const summary = run.stdout.split('\n').find((l) => l.startsWith('[summary] soak: ')) ?? '';
  tally.add('soak (5 s)', Object.fromEntries(summary.slice('[summary] soak: '.length).split(' ').map((kv) => kv.split('=')).map(([k, v]) => [k!, Number(v)])));
});

test.run();
