// `eventlake query --timeout`: a query running past the limit is stopped (DuckDB interrupted) with QUERY_TIMEOUT
// naming the flag; without the flag there is no limit, as before.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { DuckDbEventQuery } from '../../adapters/local/duckdb-event-query.ts';
import { registerQueryCommand } from '../../cli/commands/query.ts';
import { InvalidArgumentError, QueryFailedError, QueryTimeoutError } from '../../domain/errors.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import { rejects } from '../support/async.ts';
import { tempDir } from '../support/tmp.ts';

const test = suite('eventlake query --timeout');

/** Runs for minutes on no data at all: 10^10 rows joined. */
const SLOW = 'SELECT count(*) AS n FROM range(100000) a, range(100000) b WHERE a.range + b.range = 7';

/** `eventlake query ARGS` over `query`; what it printed on stdout. */
async function run(query: EventQuery, ...args: string[]): Promise<string> {
  let out = '';
  const program = new Command('eventlake').option('--data-dir <dir>').exitOverride();
  registerQueryCommand(program, async () => ({ query, close: () => query.close() }), { out: (t) => (out += t), err: () => undefined });
  await program.parseAsync(['query', ...args], { from: 'user' });
  return out;
}

const duckDb = () => new DuckDbEventQuery({ dataDir: tempDir() });
const never: Promise<QueryResult> = new Promise(() => undefined);

test('raw SQL running past --timeout is stopped, QUERY_TIMEOUT naming the flag and the fix', async () => {
  const started = performance.now();
  const error = await rejects(() => run(duckDb(), SLOW, '--timeout', '0.2'), QueryTimeoutError);
  assert.ok(performance.now() - started < 5_000, 'the query was not stopped');
  assert.is(error.code, 'QUERY_TIMEOUT');
  assert.match(error.message, /^--timeout: the query ran longer than 0.2 s and was stopped, so no rows were returned: give --timeout more seconds/);
  assert.instance(error.cause, QueryFailedError);
});

test('a query within --timeout answers as usual', async () => {
  assert.match(await run(duckDb(), 'SELECT 42 AS answer', '--timeout', '30'), /answer\n-+\n42\n/);
});

test('a named query past --timeout is interrupted again until it stops (an interrupt between statements finds none running)', async () => {
  let interrupts = 0;
  let stop: (error: Error) => void = () => undefined;
  const query = {
    eventsBetween: () => never, sql: () => never, close: async () => undefined,
    named: () => new Promise<QueryResult>((_resolve, reject) => { stop = reject; }),
    interrupt: () => { if (++interrupts === 2) stop(new QueryFailedError('DuckDB query failed: INTERRUPT Error: Interrupted!')); },
  };
  await rejects(() => run(query, '--named', 'counts_per_type_per_day', '--timeout', '0.05'), QueryTimeoutError);
  assert.is(interrupts, 2);
});

test('--timeout that is no number of seconds above 0 is refused naming the flag, before the query runs', async () => {
  for (const given of ['0', '-1', 'soon', '']) {
    const error = await rejects(() => run({ eventsBetween: () => never, named: () => never, sql: () => never, close: async () => undefined }, 'SELECT 1', '--timeout', given), InvalidArgumentError);
    assert.match(error.message, /^--timeout: .* is not a number of seconds/);
  }
});

test('--timeout with an engine that cannot be interrupted (Athena) is refused naming the flag', async () => {
  const athena = { eventsBetween: () => never, named: () => never, sql: () => never, close: async () => undefined };
  const error = await rejects(() => run(athena, 'SELECT 1', '--timeout', '10'), InvalidArgumentError);
  assert.match(error.message, '--timeout: applies to local queries (DuckDB) only');
});

test.run();
