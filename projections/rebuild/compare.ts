// Comparing two projection states account by account: counters and rows, never the order they were built in.

import type { StateDifference } from '../../domain/errors.ts';
import { serializeEvent } from '../../domain/event.ts';
import type { DomainEvent, JsonObject } from '../../domain/event.ts';
import type { ProjectionState } from '../../domain/projection.ts';

/** A difference, with the account (counter key, or row partition) it belongs to. */
export interface AccountDifference extends StateDifference {
  readonly account: string;
}

// Canonical JSON (sorted keys), so two rows with the same content compare equal whatever their key order.
const canonical = (value: JsonObject): string => serializeEvent(value as unknown as DomainEvent);

/**
 * Every counter and row where `actual` differs from `expected`, sorted by account then key.
 * Row keys read `<partition>/<row key>`; values are integers (counters) and canonical JSON (rows).
 */
export function compareStates(expected: ProjectionState, actual: ProjectionState): AccountDifference[] {
  const out: AccountDifference[] = [];
  for (const key of new Set([...expected.counters.keys(), ...actual.counters.keys()])) {
    const [e, a] = [expected.counters.get(key), actual.counters.get(key)];
    // An absent counter and a zero one mean the same balance only if the account was never touched: keep them apart.
    if (e !== a) out.push({ kind: 'counter', account: key, key, expected: e === undefined ? null : String(e), actual: a === undefined ? null : String(a) });
  }
  for (const key of new Set([...expected.rows.keys(), ...actual.rows.keys()])) {
    const [e, a] = [expected.rows.get(key), actual.rows.get(key)];
    const [ev, av] = [e ? `${e.partition} ${canonical(e.value)}` : null, a ? `${a.partition} ${canonical(a.value)}` : null];
    if (ev === av) continue;
    const account = (e ?? a)!.partition;
    out.push({ kind: 'row', account, key: `${account}/${key}`, expected: e ? canonical(e.value) : null, actual: a ? canonical(a.value) : null });
  }
  return out.sort((x, y) => (x.account < y.account ? -1 : x.account > y.account ? 1 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

/** Differences grouped by account, in account order. */
export function byAccount(differences: readonly AccountDifference[]): Map<string, AccountDifference[]> {
  const out = new Map<string, AccountDifference[]>();
  for (const d of differences) out.set(d.account, [...(out.get(d.account) ?? []), d]);
  return out;
}
