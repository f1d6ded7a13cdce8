// `eventlake run --interval`: a value that is not a whole number of milliseconds is refused naming the flag (it used
// to fall back to 250 ms in silence), before the data dir is opened.

import { suite } from 'uvu';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';

const test = suite('eventlake run --interval (CLI)');

test('an --interval that is not a whole number of milliseconds exits 1 naming --interval, no data dir created', async () => {
  for (const bad of ['abc', '1s', '-5', '2.5']) {
    await assertRefusedBeforeOpen(['run', '--interval', bad], `INVALID_ARGUMENT: --interval: ${bad} is not a whole number of milliseconds, e.g. --interval 250`);
  }
});

test.run();
