// runLifecycle's `now` as an API user passes it: a value that is no epoch-ms time is refused naming `now`, before the
// archive lease is taken or anything is read (it used to fail later, naming an internal `range`).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { InvalidArgumentError, runLifecycle } from 'eventlake';
import { openLocalEventlake } from 'eventlake/local';
import { tempDir } from '../support/tmp.ts';

const test = suite('api: runLifecycle refuses a now that is no time');

for (const now of [Number.NaN, Number.POSITIVE_INFINITY, '1714000000000' as unknown as number]) {
  test(`now ${String(now)} (${typeof now}) is an InvalidArgumentError naming now`, async () => {
    const local = await openLocalEventlake({ dataDir: tempDir('eventlake-api-') });
    try {
      const error = await runLifecycle(local, { now }).then(() => undefined, (e: unknown) => e);
      assert.instance(error, InvalidArgumentError);
      assert.is((error as InvalidArgumentError).argument, 'now');
      assert.match((error as Error).message, /Date\.now\(\)/);
    } finally {
      await local.close();
    }
  });
}

test('a finite now runs', async () => {
  const local = await openLocalEventlake({ dataDir: tempDir('eventlake-api-') });
  try {
    const report = await runLifecycle(local, { now: Date.now() });
    assert.is(report.transitioned.GLACIER.objects, 0);
  } finally {
    await local.close();
  }
});

test.run();
