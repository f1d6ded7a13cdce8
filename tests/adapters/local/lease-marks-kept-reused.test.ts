// A mark kept for a taker (its holder's release failed) and released later deletes its lock file only if nobody holds
// it: by then a taker may have taken the lease over (deleting the kept file) and a new holder marked the same tag,
// creating the file anew. Deleted under that live holder, its lease would no longer be known alive or dead here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockFileLeaseLiveness } from '../../../adapters/local/lease-marks.ts';

const test = suite('lease marks: a kept mark released after its tag was marked again');
const NAME = 'archive:lease';

test('a kept mark released later leaves the lock file of a live holder that marked the same tag since', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'eventlake-marks-')), 'leases');
  const liveness = new LockFileLeaseLiveness(dir);
  const stale = (await liveness.mark(NAME, 17))!;
  await stale.release(true);
  // A taker takes the lease over (deleting the kept file), and a later holder draws tag 17 again.
  await (await liveness.dead(NAME, 17))!.release(true);
  const live = await liveness.mark(NAME, 17);
  assert.ok(live);
  await stale.release(false);
  assert.is(readdirSync(dir).length, 1, 'the live holder\'s lock file stays');
  assert.is(await liveness.dead(NAME, 17), undefined);
  await live.release();
  assert.equal(readdirSync(dir), []);
});

test.run();
