// A lease's lock file is named after the lease, and a lease's name holds a projection's (rebuild:lease:<projection>),
// which may be long and full of escaped characters: past the file system's 255 bytes a name would refuse every take of
// that lease. Long names are shortened to a prefix and a hash, still one file per lease.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockFileLeaseLiveness } from '../../../adapters/local/lease-marks.ts';

const test = suite('lease marks: long lease names');
const leasesDir = (): string => join(mkdtempSync(join(tmpdir(), 'eventlake-marks-')), 'leases');

test('a lease whose escaped name is longer than a file name can be is marked', async () => {
  const liveness = new LockFileLeaseLiveness(leasesDir());
  const mark = await liveness.mark(`rebuild:lease:${'statement (EUR) '.repeat(10)}`, 17);
  assert.ok(mark);
  await mark.release();
});

test('two long lease names that share their first characters are marked apart', async () => {
  const dir = leasesDir();
  const liveness = new LockFileLeaseLiveness(dir);
  const base = `rebuild:lease:${'x'.repeat(300)}`;
  const [a, b] = [await liveness.mark(`${base}a`, 17), await liveness.mark(`${base}b`, 17)];
  assert.ok(a && b);
  assert.is(readdirSync(dir).length, 2);
  await a.release();
  await b.release();
});

test.run();
