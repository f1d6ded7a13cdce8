// What one statement row holds, and the helpers every statement rule (built-in or from a balance rule) writes rows with.

import type { BalanceRule } from '../domain/balances.ts';
import type { DomainEvent, JsonObject } from '../domain/event.ts';
import { eventId } from '../domain/event.ts';
import { formatAmount } from '../domain/money.ts';
import type { AppliedRecord, Changes, RowPut } from '../domain/projection.ts';

/** The value of one statement row. `amount` is signed: credits positive, debits negative. */
export interface StatementEntry {
  readonly account: string;
  /** EventTimeStamp of the entry (the deposit's, once the deposit is known). */
  readonly ts: number;
  /** The event that defines the entry (the deposit, once known). */
  readonly eventId: string;
  readonly type: string;
  readonly amount: string;
  readonly reference?: string;
  /** True once a verification has set the amount. */
  readonly verified?: boolean;
}

/** How the statement folds one event type, given the applied records of the event's related events. */
export type StatementRule = (event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>) => Changes;

/** The event's string `field`; a TypeError (the event dead-letters) when it has none. */
export function text(event: DomainEvent, field: string): string {
  const v = event[field];
  if (typeof v !== 'string') throw new TypeError(`${eventId(event)} has no string ${field}`);
  return v;
}

/** The event's Reference, when it has a string one. */
export function reference(event: DomainEvent): string | undefined {
  return typeof event['Reference'] === 'string' ? event['Reference'] : undefined;
}

function entry(e: StatementEntry): JsonObject {
  const out: JsonObject = { account: e.account, ts: e.ts, eventId: e.eventId, type: e.type, amount: e.amount };
  if (e.reference !== undefined) out['reference'] = e.reference;
  if (e.verified) out['verified'] = true;
  return out;
}

/** The row `key` holding `e`, in its account's partition. */
export function line(key: string, e: StatementEntry): RowPut {
  return { key, partition: e.account, value: entry(e) };
}

/** One line per account of `moves` (`<event id>#<account>`): the entries of what a balance rule moved for `event`. */
export function accountLines(event: DomainEvent, moves: Iterable<readonly [string, bigint]>): RowPut[] {
  const id = eventId(event);
  const base = { ts: event.EventTimeStamp, eventId: id, type: event.EventType, reference: reference(event) };
  return [...moves].map(([account, delta]) => line(`${id}#${account}`, { ...base, account, amount: formatAmount(delta) }));
}

/** What a balance rule's changes move per account: one sum per account, as a rule may move one account twice. */
export function movesByAccount(changes: Changes): Map<string, bigint> {
  const moved = new Map<string, bigint>();
  for (const c of changes.counters ?? []) moved.set(c.key, (moved.get(c.key) ?? 0n) + c.delta);
  return moved;
}

const NO_RECORDS: ReadonlyMap<string, AppliedRecord> = new Map();

/** The records of `rule`'s own related events out of those the statement read: the rule sees what it sees in balances. */
export function recordsFor(rule: BalanceRule, event: DomainEvent, related: ReadonlyMap<string, AppliedRecord>): ReadonlyMap<string, AppliedRecord> {
  if (!rule.related || related.size === 0) return NO_RECORDS;
  const own = new Map<string, AppliedRecord>();
  for (const id of rule.related(event)) {
    const record = related.get(id);
    if (record) own.set(id, record);
  }
  return own;
}
