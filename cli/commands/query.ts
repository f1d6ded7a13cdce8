// `eventlake query`: SQL over the log (raw, by time range, or a named catalogue query) as a table, NDJSON or CSV.

import type { Command } from 'commander';
import { InvalidArgumentError } from '../../domain/errors.ts';
import type { EventQuery, QueryResult } from '../../domain/ports/event-query.ts';
import { printable } from '../../domain/printable.ts';
import { QUERY_CATALOGUE } from '../../domain/query-catalogue.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { namedQueriesTaking, planQuery, type QueryFlags, type QueryPlan } from '../query-plan.ts';
import { interruptible, parseTimeout, withinTimeout } from '../query-timeout.ts';

/** Where the command writes; tests capture it. */
export interface QueryIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

interface QueryOptions extends QueryFlags {
  json?: boolean;
  csv?: boolean;
  timeout?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** A single-value flag given twice with different values is refused (commander would keep the last one silently). */
const once = (flag: string) => (value: string, previous: string | undefined): string => {
  if (previous !== undefined && previous !== value) throw new InvalidArgumentError(flag, `is given twice with different values, ${previous} and ${value}: give it once`);
  return value;
};
const BIGINT_MARK = '\u0000bigint:';

/** JSON with bigints written as exact numbers (JSON.stringify rejects them). */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v))
    .replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? toJson(value) : String(value);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The result as text: an aligned table (default), NDJSON, or CSV with a header line. */
export function formatResult(result: QueryResult, format: 'table' | 'json' | 'csv'): string {
  const { columns, rows } = result;
  if (format === 'json') return rows.map((r) => `${toJson(r)}\n`).join('');
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  if (format === 'csv') return [columns, ...cells].map((line) => `${line.map(csvField).join(',')}\r\n`).join('');
  // The table is for a terminal: a cell's control characters are shown escaped, never obeyed (CSV and JSON keep them).
  const shown = cells.map((line) => line.map(printable));
  const widths = columns.map((c, i) => Math.max(c.length, ...shown.map((line) => line[i]!.length)));
  const line = (values: readonly string[]) => `${values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...shown.map(line)].join('');
}

/** The named queries and their parameters, for `eventlake query --help`. */
function namedQueriesHelp(): string {
  const lines = Object.values(QUERY_CATALOGUE).map((q) => `  ${q.name}: ${q.params.map((p) => (p.required ? p.name : `[${p.name}]`)).join(' ')}`);
  return `\nNamed queries (--named NAME, each parameter as --param name=value; from/to/type/account also as --since/--until/--type/--account;\na flag a query does not use, or a parameter given twice with different values, is refused):\n${lines.join('\n')}`;
}

function execute(query: EventQuery, plan: QueryPlan): Promise<QueryResult> {
  if (plan.kind === 'sql') return query.sql(plan.sql);
  if (plan.kind === 'named') return query.named(plan.name, plan.params);
  return query.eventsBetween(plan.query);
}

/** Unrestored keys named one by one; past that, a count (a month of archived hours is hundreds of keys). */
const LISTED_KEYS = 10;
const HOUR_OF_KEY = /^events\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\//;

/**
 * The eventlake command `words` over `keys`, runnable as printed (by `next`, with the global options): the keys
 * separated by spaces (`--keys` is variadic; a comma would make one unsafe key), or, when they are many, the hours they
 * span as `--since`/`--until`, which selects the same objects.
 */
function selectingCommand(next: FollowUp, words: readonly string[], keys: readonly string[]): string {
  const hours = keys.map((key) => HOUR_OF_KEY.exec(key)).map((m) => (m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])) / 1000 : undefined));
  if (keys.length <= LISTED_KEYS || hours.some((h) => h === undefined)) return next(...words, '--keys', ...keys);
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  // A loop, not Math.min(...hours): spreading ~100k arguments (a lake's years of archived objects) overflows the stack.
  let [first, last] = [Infinity, -Infinity];
  for (const h of hours as number[]) [first, last] = [Math.min(first, h), Math.max(last, h)];
  return next(...words, '--since', iso(first), '--until', iso(last + 3600));
}

/** The restore request of `keys`, runnable as printed (spelled by `next`: bare by default). */
export const restoreCommandFor = (keys: readonly string[], next: FollowUp = followUp()): string => selectingCommand(next, ['restore'], keys);

function listKeys(keys: readonly string[], io: QueryIo): void {
  for (const key of keys.slice(0, LISTED_KEYS)) io.err(`  ${key}\n`);
  if (keys.length > LISTED_KEYS) io.err(`  … ${keys.length - LISTED_KEYS} more\n`);
}

/**
 * The result's missing objects on stderr (whatever the output format, so stdout stays rows only): a restore command
 * for those no restore is running for, and for those being restored a way to see when they are done instead, as a
 * second request would change nothing (AWS refuses it: RestoreAlreadyInProgress).
 */
function warnUnreadable(result: QueryResult, io: QueryIo, next: FollowUp): void {
  if (result.unreadableUnchecked) {
    io.err(`note: raw SQL on a deployed stack does not check for archived objects (that would read the whole index); rows of unrestored ones are missing without a word: ` +
      `find them with ${next('restore', 'status', '--since', 'T')} or a --since query\n`);
  }
  const running = new Set(result.restoring ?? []);
  const waiting = result.unreadable.filter((k) => !running.has(k));
  const restoring = result.unreadable.filter((k) => running.has(k));
  if (waiting.length > 0) {
    io.err(`warning: ${waiting.length} archived object(s) in the range are not restored; their events are missing:\n`);
    listKeys(waiting, io);
    io.err(`restore them first: ${restoreCommandFor(waiting, next)}\n`);
  }
  if (restoring.length > 0) {
    io.err(`warning: ${restoring.length} archived object(s) in the range are being restored (requested, not done yet); their events are missing until then:\n`);
    listKeys(restoring, io);
    io.err(`no new request is needed; see when they are readable: ${selectingCommand(next, ['restore', 'status'], restoring)}\n`);
  }
}

/** What `eventlake query` opens: the engine, how to release it, and (when the target can tell) which types it knows. */
export interface OpenedQuery {
  readonly query: EventQuery;
  close(): Promise<void>;
  /** Refuse (INVALID_ARGUMENT on `argument`) a type this lake does not know (cli/event-type-filter.ts); absent: none checked. */
  readonly refuseUnknownTypes?: (types: readonly string[], argument: string) => Promise<void>;
}

/**
 * The EventTypes a plan filters on, and the flag they came from (--type, else a named query's --param type=): an
 * unknown one is refused, as `events --type` refuses it, instead of answering no rows. Raw SQL is the user's own.
 */
function typeFilter(plan: QueryPlan, flags: QueryFlags): { types: readonly string[]; argument: string } {
  if (plan.kind === 'range') return { types: plan.query.types ?? [], argument: '--type' };
  // A query that takes no type refuses the parameter itself, in words about that: not checked as a type here.
  if (plan.kind === 'sql' || !namedQueriesTaking('type').includes(plan.name) || !Object.hasOwn(plan.params, 'type')) return { types: [], argument: '--type' };
  // A list parameter, comma-separated; an empty item is the catalogue's to refuse (listValue), with its own words.
  const types = plan.params['type']!.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return { types, argument: flags.type ? '--type' : '--param' };
}

/**
 * Register `eventlake query`.
 *
 * @example
 * registerQueryCommand(program, async (opts) => { const q = new DuckDbEventQuery({ dataDir: opts.dataDir }); return { query: q, close: () => q.close() }; });
 * // eventlake query "SELECT EventType, count(*) AS n FROM events GROUP BY 1" --csv
 * // eventlake query --since 2024-03-01 --until 2024-03-02 --type cash_deposit --json
 * // eventlake query --named reconciliation_totals --param account=ACC-000042
 */
export function registerQueryCommand(
  program: Command,
  open: (opts: GlobalOptions) => Promise<OpenedQuery>,
  io: QueryIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): void {
  program
    .command('query')
    .description(`SQL over the event log (table "events"), events of a time range, or a named query (${Object.keys(QUERY_CATALOGUE).join(', ')})`)
    .argument('[sql]', 'SQL over the table events; takes no other query flag (filter in its WHERE clause)')
    .option('--since <T>', 'a --since query: events from T (ISO-8601, UTC unless a zone is given, or epoch seconds; inclusive); with --named: its from', once('--since'))
    .option('--until <T>', 'with --since or --named (its to): until T (exclusive); default: the end of the log', once('--until'))
    .option('--type <type>', `with --since, or --named ${namedQueriesTaking('type').join(', ')}: only this EventType (repeatable)`, collect)
    .option('--account <account>', `with --since or --named ${namedQueriesTaking('account', 'list').join(', ')} (repeatable), or --named ${namedQueriesTaking('account', 'text').join(', ')} (once): only events touching this account`, collect)
    .option('--named <name>', 'run a named catalogue query (listed below)', once('--named'))
    .option('--param <key=value>', 'with --named only: a parameter of the named query (repeatable, each key once)', collect)
    .option('--json', 'any query: one JSON object per line (NDJSON)')
    .option('--csv', 'any query: CSV with a header line')
    .option('--timeout <seconds>', 'any local query: stop it after this many seconds (QUERY_TIMEOUT); default: no limit', once('--timeout'))
    .addHelpText('after', namedQueriesHelp())
    .action(async (sql: string | undefined, options: QueryOptions, command: Command) => {
      if (options.json && options.csv) throw new InvalidArgumentError('--json', 'choose one of --json and --csv');
      const format = options.json ? 'json' : options.csv ? 'csv' : 'table';
      const plan = planQuery(sql, options);
      const seconds = options.timeout === undefined ? undefined : parseTimeout(options.timeout);
      const opts = readingOptions(command);
      const { query, close, refuseUnknownTypes } = await open(opts);
      try {
        const filter = typeFilter(plan, options);
        if (filter.types.length > 0) await refuseUnknownTypes?.(filter.types, filter.argument);
        const result = await (seconds === undefined ? execute(query, plan) : withinTimeout(() => execute(query, plan), seconds, interruptible(query)));
        io.out(formatResult(result, format));
        if (format === 'table') {
          const scanned = result.stats.bytesScanned === undefined ? '' : `, ${result.stats.bytesScanned} bytes scanned`;
          io.err(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.stats.engineMs === undefined ? '' : `, ${result.stats.engineMs} ms`}${scanned})\n`);
        }
        warnUnreadable(result, io, followUp(opts));
      } finally {
        await close();
      }
    });
}
