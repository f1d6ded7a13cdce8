// `eventlake query`: a parameter given twice is fine when both say the same, and each flag reaches the query it applies to.

import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command } from 'commander';
import { registerQueryCommand } from '../../cli/commands/query.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';

const EMPTY: QueryResult = { columns: [], rows: [], stats: {}, unreadable: [] };

/** The calls `eventlake query ...args` makes to a fake EventQuery. */
async function callsOf(...args: string[]): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const query: EventQuery = {
    eventsBetween: async (q) => (calls.push(['eventsBetween', q]), EMPTY),
    named: async (name, params) => (calls.push(['named', name, params]), EMPTY),
    sql: async (text) => (calls.push(['sql', text]), EMPTY),
    close: async () => {},
  };
  const program = new Command('eventlake').option('--data-dir <dir>').exitOverride();
  registerQueryCommand(program, async () => ({ query, close: async () => {} }), { out: () => {}, err: () => {} });
  await program.parseAsync(['query', ...args], { from: 'user' });
  return calls;
}

const test = suite('eventlake query: agreeing flags');

test('the same start as --since and --param from, written two ways, is one parameter', async () => {
  const calls = await callsOf('--named', 'counts_per_type_per_day', '--param', 'from=2025-01-10', '--since', '2025-01-10T00:00Z');
  assert.equal(calls, [['named', 'counts_per_type_per_day', { from: '2025-01-10' }]]);
});

test('the same account as --account and --param account is one parameter', async () => {
  const calls = await callsOf('--named', 'reconciliation_totals', '--account', 'ACC-1', '--param', 'account=ACC-1', '--account', 'ACC-1');
  assert.equal(calls, [['named', 'reconciliation_totals', { account: 'ACC-1' }]]);
});

test('the same types as --type flags and --param type, in any order, are one parameter', async () => {
  const calls = await callsOf('--named', 'events_to_replay', '--param', 'type=b,a', '--type', 'a', '--type', 'b', '--param', 'since=0');
  assert.equal(calls, [['named', 'events_to_replay', { type: 'b,a', from: '0' }]]);
});

test('a --since query takes --until, --type and --account', async () => {
  const calls = await callsOf('--since', '0', '--until', '10', '--type', 'cash_deposit', '--account', 'ACC-1', '--since', '0');
  assert.equal(calls, [['eventsBetween', { from: 0, to: 10, types: ['cash_deposit'], accounts: ['ACC-1'] }]]);
});

test.run();
