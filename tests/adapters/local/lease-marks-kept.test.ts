// A holder whose release failed keeps its lock file (unlocked) for a taker; if the lease is freed later through another
// path (a runtime's close()), the file goes too: left behind, it would name a holder that is gone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockFileLeaseLiveness } from '../../../adapters/local/lease-marks.ts';

const test = suite('lease marks: a kept mark freed later');

test('a mark kept for a taker and then released is deleted', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'eventlake-marks-')), 'leases');
  const liveness = new LockFileLeaseLiveness(dir);
  const mark = (await liveness.mark('archive:lease', 17))!;
  await mark.release(true);
  assert.is(readdirSync(dir).length, 1, 'kept for a taker');
  const taker = await liveness.dead('archive:lease', 17);
  assert.ok(taker, 'and found dead by a taker');
  // Whose take failed: it gives the file back as it found it.
  await taker.release(false);
  await mark.release(false);
  assert.equal(readdirSync(dir), []);
});

test('a mark released twice as still named stays for a taker', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'eventlake-marks-')), 'leases');
  const liveness = new LockFileLeaseLiveness(dir);
  const mark = (await liveness.mark('archive:lease', 17))!;
  await mark.release(true);
  await mark.release(true);
  assert.ok(existsSync(join(dir, readdirSync(dir)[0]!)));
});

test.run();
