// What foreign-fold tests fold against: a SQLite store whose generation 1 records given builder rules, and an
// extensions module's cash_deposit that differs from the built-in one (the walkthrough's fee).
import { join } from 'node:path';
import { SqliteProjectionStore } from '../../adapters/local/sqlite-projection-store.ts';
import { BUILTIN_BALANCE_RULES, type BalanceRule } from '../../domain/balances.ts';
import type { JsonObject } from '../../domain/event.ts';
import { tempDir } from './tmp.ts';

const builtIn = BUILTIN_BALANCE_RULES['cash_deposit']!;

/** The built-in cash_deposit rule's memo and credit, and a 0.50 fee to BANK-FEES. */
export const depositWithFee: BalanceRule = {
  ...builtIn,
  decide: (event, related) => {
    const changes = builtIn.decide(event, related);
    return { ...changes, counters: [...(changes.counters ?? []), { key: 'BANK-FEES', delta: 50n }] };
  },
};

/** A store whose balances generation 1 records `checkpoint` as the rules that built it, closed after `fold`. */
export async function builtWith(checkpoint: JsonObject, fold: (store: SqliteProjectionStore) => Promise<void>): Promise<void> {
  const store = new SqliteProjectionStore(join(tempDir(), 'projections.db'));
  try {
    await store.setCheckpoint('balances', 1, checkpoint);
    await fold(store);
  } finally {
    store.close();
  }
}
