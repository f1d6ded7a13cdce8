// A DATA_DIR_NOT_WRITABLE a writable server's write meets (a file of the data dir it may no longer write) is storage
// the server cannot use, as STORAGE_FAILED is: a 500 with its code and fix, and a line in the server log, not the 422
// a client reads as its events being wrong. (A server opened read-only refuses POST before this: readonly-http.test.ts.)

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildServer } from '../../cli/server.ts';
import { DataDirNotWritableError } from '../../domain/errors.ts';
import { SAMPLES } from '../support/samples.ts';
import { withLake } from '../support/with-lake.ts';

const test = suite('http DATA_DIR_NOT_WRITABLE on a writable server');

test('a POST whose append meets DATA_DIR_NOT_WRITABLE answers 500 with that code and message, and is logged', async () => {
  await withLake(async (local) => {
    const refused = new DataDirNotWritableError({
      path: `${local.dataDir}/index.db`, errno: 'EACCES', access: 'write', doing: `storing events on ${local.dataDir}`, kept: 'nothing was written', dataDir: local.dataDir,
    });
    local.lake.append = async () => { throw refused; };
    const app = buildServer(local);
    const write = process.stderr.write;
    let stderr = '';
    process.stderr.write = ((chunk: unknown) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
    try {
      const r = await app.inject({ method: 'POST', url: '/events', payload: SAMPLES.cash_deposit });
      assert.equal([r.statusCode, r.json()], [500, { error: 'DATA_DIR_NOT_WRITABLE', message: refused.message }]);
    } finally {
      process.stderr.write = write;
      await app.close();
    }
    assert.match(stderr, /^eventlake serve: POST \/events \(req-\w+\) failed: DataDirNotWritableError DATA_DIR_NOT_WRITABLE: storing events on /);
  });
});

test.run();
