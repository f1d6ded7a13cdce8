// `eventlake balance ""` (a script's unset variable, `balance "$ACCOUNT"`) is refused naming the argument and the
// fix, before the data dir is opened: it printed every account's balance, which such a script would read as one.

import { suite } from 'uvu';
import { assertRefusedBeforeOpen } from '../support/cli-refusal.ts';

const test = suite('eventlake balance: an empty account (CLI)');

for (const account of ['', '  ']) {
  test(`an account of ${JSON.stringify(account)} exits 1 with INVALID_ARGUMENT naming ACCOUNT and how to list every balance`, () =>
    assertRefusedBeforeOpen(['balance', account], /^eventlake: INVALID_ARGUMENT: ACCOUNT: is empty: give an account number, or leave it out \(`eventlake --data-dir \S+ balance`\) for every account\n$/));
}

test.run();
