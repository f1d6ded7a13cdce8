// DuckDB results as plain rows: read by columns, the same rows as the reader's row objects made plain.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DuckDBInstance } from '@duckdb/node-api';
import { plainRow, plainRows } from '../../../adapters/local/duckdb-values.ts';

const test = suite('plainRows');

test('rows built from columns equal the row objects made plain, for every value kind and duplicate names', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`SELECT i AS n, 'x' || i AS s, NULL AS z, CAST(i AS HUGEINT) * 9007199254740993 AS big,
      CAST(i AS DECIMAL(18,2)) AS d, [i, i] AS l, {'a': i} AS st, MAP {'k': i} AS m, DATE '2024-03-07' AS day, i % 2 = 0 AS b, i AS n
    FROM range(3000) t(i)`);
  const expected = reader.getRowObjects().map(plainRow);
  const fresh = await connection.runAndReadAll(`SELECT i AS n, 'x' || i AS s, NULL AS z, CAST(i AS HUGEINT) * 9007199254740993 AS big,
      CAST(i AS DECIMAL(18,2)) AS d, [i, i] AS l, {'a': i} AS st, MAP {'k': i} AS m, DATE '2024-03-07' AS day, i % 2 = 0 AS b, i AS n
    FROM range(3000) t(i)`);
  assert.equal(plainRows(fresh.deduplicatedColumnNames(), fresh.getColumns()), expected);
  assert.is(expected.length, 3000);
  connection.closeSync();
  instance.closeSync();
});

test('no columns, or no rows, give no rows', () => {
  assert.equal(plainRows([], []), []);
  assert.equal(plainRows(['a'], [[]]), []);
});

test.run();
