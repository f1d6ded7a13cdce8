// A query of a DuckDbEventQuery whose close() was called is refused with ClosedError (code CLOSED) naming the data dir
// and the fix, as every port of a closed runtime refuses: it was a QUERY_FAILED "DuckDbEventQuery is closed", read as
// a failed query (a SQL error, DuckDB's own failure) and naming no way on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDbEventQuery } from '../../../adapters/local/duckdb-event-query.ts';
import { ClosedError } from '../../../domain/errors.ts';
import { rejects } from '../../support/async.ts';
import { tempDir } from '../../support/tmp.ts';

const test = suite('DuckDbEventQuery: a query after close()');

test('a query after close() is refused with ClosedError naming the data dir and how to query again', async () => {
  const dataDir = tempDir('eventlake-duckdb-closed-');
  const query = new DuckDbEventQuery({ dataDir });
  await query.close();
  const error = await rejects(() => query.sql('select 1'), ClosedError);
  assert.ok(error.message.includes(dataDir), error.message);
  assert.match(error.message, /new DuckDbEventQuery/);
});

test.run();
