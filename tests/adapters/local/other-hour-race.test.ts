// Two processes emitting one RequestId at once, each in another hour (as two `eventlake emit` runs): exactly one is
// told `stored`, the other EVENT_CONFLICT, in every round. Emit's index look comes before the catalogue lock, so
// before the catalogue checked other hours itself about one round in five stored both copies.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { FsEventLog } from '../../../adapters/local/fs-event-log.ts';
import { tempDir } from '../../support/tmp.ts';
import { startChild, type Child } from './fixtures/children.ts';

const ROUNDS = 20;
/** Two hours apart (25 hours): the walkthrough's timestamps. */
const HOURS = [1714000000, 1714090000];

/** The next `<n> <outcome>` line `child` prints for round n. */
function outcomeOf(child: Child, n: number): Promise<string> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      const line = seen.split('\n').find((l) => l.startsWith(`${n} `));
      if (line === undefined) return;
      child.process.stdout!.off('data', onData);
      resolve(line.slice(`${n} `.length));
    };
    child.process.stdout!.on('data', onData);
  });
}

const test = suite('two processes, one RequestId, two hours');

test('of two emits of one RequestId in different hours at once, one is stored and the other is EVENT_CONFLICT', async () => {
  const dir = join(tempDir(), 'data');
  const children = HOURS.map((t) => startChild('emit-rounds-child.ts', [dir, String(t)]));
  try {
    await Promise.all(children.map((c) => c.ready));
    const rounds: string[][] = [];
    for (let n = 1; n <= ROUNDS; n++) {
      const outcomes = children.map((c) => outcomeOf(c, n));
      for (const c of children) c.process.stdin!.write(`go ${n}\n`);
      rounds.push((await Promise.all(outcomes)).sort());
    }
    const both = rounds.flatMap((r, i) => (r.join() === 'EVENT_CONFLICT,stored' ? [] : [`round ${i + 1}: ${r.join(' and ')}`]));
    assert.equal(both, []);
  } finally {
    for (const c of children) c.process.stdin!.write('quit\n');
    await Promise.all(children.map((c) => c.done));
  }
  const log = await FsEventLog.open(dir);
  try {
    assert.is((await log.journalSince(0, 1000)).entries.length, ROUNDS);
  } finally {
    await log.close();
  }
});

test.run();
