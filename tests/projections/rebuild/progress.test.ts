import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createProgress } from '../../../projections/rebuild/progress.ts';

const test = suite('rebuild progress');

function collector(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
}

test('without a TTY every update is one JSON line with rate and ETA', () => {
  const { out, stream } = collector(false);
  let now = 0;
  const progress = createProgress(stream, { clock: () => now, minIntervalMs: 0 });
  progress({ phase: 'replay', done: 0, total: 100, unit: 'events' });
  now = 1000;
  progress({ phase: 'replay', done: 50, total: 100, unit: 'events' });
  const line = JSON.parse(out[1]!);
  assert.equal(line, { phase: 'replay', done: 50, total: 100, unit: 'events', rate: 50, etaSeconds: 1 });
});

test('on a TTY a bar is redrawn in place and ends with a newline', () => {
  const { out, stream } = collector(true);
  let now = 0;
  const progress = createProgress(stream, { clock: () => now, minIntervalMs: 0, width: 10 });
  progress({ phase: 'replay', done: 0, total: 4, unit: 'events' });
  now = 2000;
  progress({ phase: 'replay', done: 2, total: 4, unit: 'events' });
  now = 4000;
  progress({ phase: 'replay', done: 4, total: 4, unit: 'events' });
  assert.ok(out[1]!.startsWith('\rreplay     [#####-----]  50% 2/4 events  1/s  ETA 2s'), out[1]);
  assert.ok(out[2]!.endsWith('\n'));
  assert.ok(out.every((s) => s.startsWith('\r')));
});

test('updates closer together than the interval are dropped, but the last one is always shown', () => {
  const { out, stream } = collector(false);
  let now = 0;
  const progress = createProgress(stream, { clock: () => now, minIntervalMs: 1000 });
  for (let i = 0; i <= 10; i++) {
    now = i * 10;
    progress({ phase: 'replay', done: i, total: 10, unit: 'events' });
  }
  assert.equal(out.map((l) => JSON.parse(l).done), [0, 10]);
});

test.run();
