// `eventlake statement ACCOUNT`: one account's statement lines from the live statement projection, caught up first,
// and the read GET /statement/ACCOUNT answers with too (cli/http-statement.ts).

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import { statementOf, type StatementLine } from '../../projections/statement.ts';
import { explainUnmoved, warnForeignFold } from '../balance-hint.ts';
import { warnDeadLetters } from '../dead-letter-warning.ts';
import { followUp, type FollowUp } from '../follow-up.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';
import { eventsRange } from '../time.ts';
import { readOnlyOpen } from '../undispatched-hint.ts';

const STATEMENT = 'statement';

/**
 * One statement line as `--json` prints it and GET /statement/ACCOUNT answers it (absent fields left out). A type, not
 * an interface: printRows takes records.
 */
export type StatementRow = {
  readonly account: string;
  /** The entry's EventTimeStamp, ISO-8601 UTC. */
  readonly time: string;
  /** The event that defines the entry (a deposit's, once its verification is folded too). */
  readonly id: string;
  readonly type: string;
  /** Signed two-decimal string: credits positive, debits negative. */
  readonly amount: string;
  /** Deposits only: `verified` once a verification set the amount, else `unverified`. */
  readonly status?: 'verified' | 'unverified';
  /** The account's balance after this line, counted over its whole statement (also lines outside --since/--until). */
  readonly balance: string;
  readonly reference?: string;
};

/** Epoch seconds [from, to) of the lines to show; `to` is Infinity without an until. */
export interface StatementRange { readonly from: number; readonly to: number }

/** The range of `--since`/`--until` (prefix '--') or since=/until= (''): the whole statement when neither is given. */
export function statementRange(since: string | undefined, until: string | undefined, prefix: '--' | ''): StatementRange {
  // eventsRange refuses what `events` refuses (bad times, swapped bounds); its default end (now + 1 day) is dropped:
  // a statement without an until shows every line.
  const { from, to } = eventsRange(since, until, prefix);
  return { from, to: until === undefined ? Infinity : to };
}

type Lake = Pick<LocalEventlake, 'catchUp' | 'store' | 'index' | 'projections' | 'deadLetters' | 'log' | 'upcast' | 'dispatchedPosition' | 'dispatchStall'>;

/** How `readStatement` reads and words its refusal. */
export interface StatementRead {
  readonly range: StatementRange;
  /** Spells the commands an explanation suggests (with the global options of the CLI run, or of `serve`). */
  readonly next: FollowUp;
  /** Where every account is listed, for an account no event touched: `` `eventlake balance` ``, or GET /balances. */
  readonly listAccounts: string;
}

/**
 * `account`'s statement lines in `read.range`, in event-time order, after catching the projections up (as `balance`
 * reads). An account with no line at all is `EventNotFoundError` saying why, as `balance` says it; unless nothing is
 * amiss and its balance is 0.00 (a deposit verified into another account): then its statement is empty, as its
 * balance says.
 */
export async function readStatement(local: Lake, account: string, read: StatementRead): Promise<StatementRow[]> {
  // After close() (serve stopping) a cut catch-up leaves the store refusing with ClosedError: no partial statement.
  await local.catchUp();
  const generation = await local.store.liveGeneration(STATEMENT);
  const rows = await local.store.rows(STATEMENT, generation, account);
  if (rows.length === 0) {
    const why = await explainUnmoved(withRowsAsMoves(local, await readOnlyOpen(local)), account, read.next, STATEMENT);
    if (why && !why.amiss && await balanceOf(local, account) === 0n) return [];
    throw why?.error ??
      new EventNotFoundError(`account ${account}: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and '-', and ${read.listAccounts} lists every account`);
  }
  return statementOf(rows).filter((l) => l.ts >= read.range.from && l.ts < read.range.to).map(statementRow);
}

/** The account's balance in cents as `balance ACCOUNT` reads it (undefined: no balance). */
const balanceOf = async (local: Pick<Lake, 'store'>, account: string): Promise<bigint | undefined> =>
  local.store.counter('balances', await local.store.liveGeneration('balances'), account);

function statementRow(line: StatementLine): StatementRow {
  const status = line.verified ? 'verified' : line.type === 'cash_deposit' ? 'unverified' : undefined;
  return {
    account: line.account, time: new Date(line.ts * 1000).toISOString(), id: line.eventId, type: line.type, amount: line.amount,
    ...(status ? { status } : {}), balance: line.balance, ...(line.reference !== undefined ? { reference: line.reference } : {}),
  };
}

/**
 * `local` with the statement projection's rows read as the moves `explainUnmoved` looks for. Why: it asks whether a
 * rule moves the account by its counters, which the statement has none of; its lines are rows in the account's
 * partition. The memo stays: it is what the related records `explainUnmoved` decides with hold.
 */
function withRowsAsMoves<T extends Pick<LocalEventlake, 'projections'>>(local: T, readOnly: boolean): T & { readonly readOnly: boolean } {
  const rowsAsMoves = (p: Projection): Projection => ({
    ...p,
    decide: (event, related) => {
      const { rows, memo } = p.decide(event, related);
      return { counters: (rows ?? []).map((r) => ({ key: r.partition, delta: 1n })), ...(memo ? { memo } : {}) };
    },
  });
  // The copy keeps the read-only mark explicitly: it is the runtime's identity (undispatched-hint.ts), lost in a spread.
  return { ...local, readOnly, projections: local.projections.map((p) => (p.name === STATEMENT ? rowsAsMoves(p) : p)) };
}

/** A line as the table prints it: every column in every row (the first row names them), the account left out. */
const tableRow = (r: StatementRow) => ({ time: r.time, id: r.id, type: r.type, amount: r.amount, status: r.status, balance: r.balance, reference: r.reference });

/** Register `eventlake statement ACCOUNT [--since T] [--until T] [--json]`. */
export function registerStatementCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('statement')
    .description('one account\'s statement: its lines in event-time order, signed amounts and the balance after each')
    .argument('<account>', 'account number')
    .option('--since <T>', 'first line time, ISO-8601 or epoch seconds (inclusive); default: the first line')
    .option('--until <T>', 'end, ISO-8601 or epoch seconds (exclusive); default: after the last line')
    .option('--json', 'one JSON object per line')
    .addHelpText('after', '\nA deposit\'s status is verified once its verification is folded (its amount is then the verified one), else unverified.\n' +
      'The balance column counts every line of the account, also those outside --since/--until.')
    .action(async (account: string, options: { since?: string; until?: string; json?: boolean }, command: Command) => {
      const opts = readingOptions(command);
      const next = followUp(opts);
      // `statement "$ACCOUNT"` with the variable unset: say so, rather than look for an account named ''.
      if (account.trim() === '') throw new InvalidArgumentError('ACCOUNT', `is empty: give an account number (\`${next('balance')}\` lists every account)`);
      const range = statementRange(options.since, options.until, '--');
      const local = await open(opts);
      try {
        // The warning after the read (its catch-up may be what folds and records such events), also before "no lines".
        const warn = () => warnForeignFold(local, next, STATEMENT);
        const lines = await readStatement(local, account, { range, next, listAccounts: `\`${next('balance')}\`` }).catch(async (error: unknown) => {
          if (error instanceof EventNotFoundError) await warn();
          throw error;
        });
        await warn();
        // Its lines leave out what statement dead-lettered, its balance column what balances did not: `balance` differs.
        await warnDeadLetters(local, account, [STATEMENT, 'balances'], next);
        printRows(options.json ? lines : lines.map(tableRow), options.json ?? false);
      } finally {
        await local.close();
      }
    });
}
