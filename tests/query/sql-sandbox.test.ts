// Raw SQL through DuckDbEventQuery reads only the log's readable folders, runs one SELECT, and writes nothing.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadDuckDbEngine, type DuckDbEngine } from '../../adapters/local/duckdb-engine.ts';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { InvalidArgumentError } from '../../domain/errors.ts';
import { partitionPrefix, segmentKey } from '../../domain/event.ts';
import { generateEvents } from '../../domain/generator.ts';
import { rejects } from '../support/async.ts';
import { writeLog } from '../support/log-fixture.ts';
import { tempDir } from '../support/tmp.ts';

const START = Date.UTC(2024, 2, 7) / 1000;
const dataDir = tempDir();
const events = writeLog(dataDir, generateEvents({ accounts: 3, days: 1, eventsPerDay: 24, start: START, seed: 3 }), () => 'segment');
const SEGMENT = join(dataDir, segmentKey(partitionPrefix(START)));
const outside = tempDir();
const SECRET = join(outside, 'secret.csv');
writeFileSync(SECRET, 'a,b\n1,2\n');

let engine: DuckDbEngine | undefined;
const query = new DuckDbEventQuery({ dataDir }, async () => (engine = await loadDuckDbEngine()));
const lit = (path: string) => `'${path.replaceAll("'", "''")}'`;

const test = suite('raw SQL sandbox');
test.after(() => query.close());

test('a SELECT over the view events still answers', async () => {
  const r = await query.sql('SELECT count(*) AS n FROM events');
  assert.equal(r.rows, [{ n: events.length }]);
});

test('read_csv of a file outside the data dir is refused naming query', async () => {
  const e = await rejects(() => query.sql(`SELECT * FROM read_csv(${lit(SECRET)})`), InvalidArgumentError);
  assert.is(e.argument, 'query');
  assert.match(e.message, /reads only the log/);
  assert.not.match(e.message, /1,2/);
});

test('read_text of a path climbing out of events/ with .. is refused', async () => {
  // Spelled by hand: join() would resolve the `..`.
  await rejects(() => query.sql(`SELECT * FROM read_text(${lit(`${dataDir}/events/../../${basename(outside)}/secret.csv`)})`), InvalidArgumentError);
});

test('COPY TO a file is refused and writes no file', async () => {
  const target = join(outside, 'pwned.csv');
  const e = await rejects(() => query.sql(`COPY (SELECT 42 AS x) TO ${lit(target)}`), InvalidArgumentError);
  assert.is(e.argument, 'query');
  assert.not.ok(existsSync(target));
});

test('COPY over a log object is refused as a COPY statement and leaves the object unchanged byte for byte', async () => {
  const before = readFileSync(SEGMENT);
  const e = await rejects(() => query.sql(`COPY (SELECT '{"forged":1}' AS j) TO ${lit(SEGMENT)} (FORMAT csv, HEADER false, QUOTE '')`), InvalidArgumentError);
  assert.match(e.message, /one read-only SELECT: this is a COPY statement/);
  assert.ok(readFileSync(SEGMENT).equals(before));
});

test('two statements are refused and neither runs', async () => {
  const target = join(outside, 'second.csv');
  const e = await rejects(() => query.sql(`SELECT 1; COPY (SELECT 1) TO ${lit(target)}`), InvalidArgumentError);
  assert.match(e.message, /holds 2 statements/);
  assert.not.ok(existsSync(target));
});

test('ATTACH is refused and creates no database file', async () => {
  const target = join(outside, 'x.duckdb');
  const e = await rejects(() => query.sql(`ATTACH ${lit(target)} AS x`), InvalidArgumentError);
  assert.match(e.message, /an ATTACH statement/);
  assert.not.ok(existsSync(target));
});

test('INSTALL is refused before it runs, and extensions are neither installed nor loaded on demand', async () => {
  const e = await rejects(() => query.sql('INSTALL sqlite'), InvalidArgumentError);
  assert.match(e.message, /an INSTALL or LOAD statement/);
  const r = await query.sql("SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l, current_setting('enable_external_access') AS x");
  assert.equal(r.rows, [{ i: false, l: false, x: false }]);
});

test('SET is refused in raw SQL, and the engine refuses enable_external_access = true once locked', async () => {
  await rejects(() => query.sql('SET enable_external_access = true'), InvalidArgumentError);
  await query.sql('SELECT 1');
  const lifted = await engine!.connection.run('SET enable_external_access = true').then(() => 'ran', (error: Error) => error.message);
  assert.match(lifted, /locked/);
});

test('raw SQL still reads times in UTC after the lock', async () => {
  const r = await query.sql("SELECT current_setting('TimeZone') AS tz, CAST(CAST(to_timestamp(0) AS DATE) AS VARCHAR) AS d");
  assert.equal(r.rows, [{ tz: 'UTC', d: '1970-01-01' }]);
});

test('a data dir given through a symlink is read through it', async () => {
  const link = join(tempDir(), 'data');
  symlinkSync(dataDir, link);
  const linked = new DuckDbEventQuery({ dataDir: link });
  try {
    assert.equal((await linked.sql('SELECT count(*) AS n FROM events')).rows, [{ n: events.length }]);
    assert.equal((await linked.eventsBetween({ from: START, to: START + 86_400 })).rows.length, events.length);
  } finally {
    await linked.close();
  }
});

test.run();
