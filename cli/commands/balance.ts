// `eventlake balance [ACCOUNT]`: balances from the live projection, caught up with the log first.

import type { Command } from 'commander';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import { EventNotFoundError, InvalidArgumentError } from '../../domain/errors.ts';
import { unmovedAccount, warnForeignFold } from '../balance-hint.ts';
import { warnDeadLetters } from '../dead-letter-warning.ts';
import { followUp } from '../follow-up.ts';
import { readingOptions, type GlobalOptions } from '../options.ts';
import { printRows } from '../output.ts';

export function registerBalanceCommand(program: Command, open: (opts: GlobalOptions) => Promise<LocalEventlake>): void {
  program
    .command('balance')
    .description('balance of one account, or of every account (two-decimal strings)')
    .argument('[account]', 'account number')
    .option('--json', 'one JSON object per line')
    .action(async (account: string | undefined, options: { json?: boolean }, command: Command) => {
      const opts = readingOptions(command);
      // `balance "$ACCOUNT"` with the variable unset would otherwise print every balance, read as that account's.
      if (account !== undefined && account.trim() === '') {
        throw new InvalidArgumentError('ACCOUNT', `is empty: give an account number, or leave it out (\`${followUp(opts)('balance')}\`) for every account`);
      }
      const local = await open(opts);
      try {
        // After the read: its catch-up may be what folds (and records) such events.
        const warn = () => warnForeignFold(local, followUp(opts));
        if (account) {
          const balance = await local.lake.balance(account);
          await warn();
          if (balance === undefined) {
            // Named by events that fold into no balance (a payment's remote account, a type without a rule): say so.
            // Otherwise the usual cause is a typo or lower case: say what an account number looks like and how to list them.
            const next = followUp(opts);
            throw await unmovedAccount(local, account, next) ?? new EventNotFoundError(`account ${account}: no event has touched it; account numbers are 4-34 characters of A-Z, 0-9 and '-', and \`${next('balance')}\` lists every account`);
          }
          // The balance leaves dead-lettered events out (statement may not): say so, or the two disagree silently.
          await warnDeadLetters(local, account, ['balances'], followUp(opts));
          printRows([{ account, balance }], options.json ?? false);
        } else {
          const all = await local.lake.balances();
          await warn();
          printRows([...all].map(([acc, balance]) => ({ account: acc, balance })), options.json ?? false);
        }
      } finally {
        await local.close();
      }
    });
}
