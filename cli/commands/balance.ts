// `eventlake balance [ACCOUNT]`: balances from the live projection, caught up with the log first.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { WHOLE_LOG } from '../../domain/query-params.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';

/** Entries of the account index read to describe an account without a balance; past it the count is "or more". */
const NAMING_EVENTS_READ = 10_000;

/**
 * Why `account` has no balance in `projection` although the log's index names it: the events naming it, by type, and
 * for each type whether the projection has no rule for it or its rule moved other accounts. `undefined` when no
 * indexed event names the account (no event touched it).
 */
export async function unmovedAccount(local: Pick<LocalEventlake, 'index' | 'projections'>, account: string, projection = 'balances'): Promise<EventNotFoundError | undefined> {
  const types = new Map<string, number>();
  let read = 0;
  for await (const entry of local.index.between({ ...WHOLE_LOG, accounts: [account] })) {
    types.set(entry.type, (types.get(entry.type) ?? 0) + 1);
    if (++read === NAMING_EVENTS_READ) break;
  }
  if (read === 0) return undefined;
  const folds = local.projections.find((p) => p.name === projection);
  const counts = [...types].map(([type, n]) => `${n} ${type}`).join(', ');
  const why = [...types.keys()].map((type) => (folds?.handles({ EventType: type } as DomainEvent)
    ? `the ${type} rule of ${projection} moves the event's other accounts`
    : `${projection} has no rule for ${type} (give one in balanceRules to fold it)`)).join('; ');
  const many = read === NAMING_EVENTS_READ ? `${read} or more events` : read === 1 ? '1 event' : `${read} events`;
  return new EventNotFoundError(`account ${account} that changes its balance in projection ${projection}: the index has ${many} naming it (${counts}), but ${why}`);
}

export function registerBalanceCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('balance')
    .description('balance of one account, or of every account (two-decimal strings)')
    .argument('[account]', 'account number')
    .option('--json', 'one JSON object per line')
    .action(async (account: string | undefined, options: { json?: boolean }, command: Command) => {
      // `balance "$ACCOUNT"` with the variable unset would otherwise print every balance, read as that account's.
      if (account !== undefined && account.trim() === '') {
        throw new InvalidArgumentError('ACCOUNT', 'is empty: give an account number, or leave it out (`eventlake balance`) for every account');
      }
      const local = await open(readingOptions(command));
      try {
        if (account) {
          const balance = await local.lake.balance(account);
          if (balance === undefined) {
            // Named by events that fold into no balance (a payment's remote account, a type without a rule): say so.
            // Otherwise the usual cause is a typo or lower case: say what an account number looks like and how to list them.
            throw await unmovedAccount(local, account) ?? new EventNotFoundError(`account ${account}: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and '-', and \`eventlake balance\` lists every account`);
          }
          printRows([{ account, balance }], options.json ?? false);
        } else {
          const all = await local.lake.balances();
          printRows([...all].map(([acc, balance]) => ({ account: acc, balance })), options.json ?? false);
        }
      } finally {
        await local.close();
      }
    });
}
