// Why an account the log's index names has no balance, in the CLI's words (`eventlake balance`, GET /balances/ACCOUNT).

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { EventNotFoundError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { AppliedRecord, Projection } from '../domain/projection.ts';
import { WHOLE_LOG } from '../domain/query-params.ts';
import { liveForeignFold } from '../projections/foreign-fold.ts';
import { lastError } from './dead-letter-hint.ts';
import { followUp, type FollowUp } from './follow-up.ts';
import { undispatchedOf, undispatchedReason } from './undispatched-hint.ts';

/** Entries of the account index read to describe an account without a balance; past it the count is "or more". */
const NAMING_EVENTS_READ = 10_000;
/** Events of one type read back and given to the rule: enough to tell a rule that moves the account from one that does not. */
const EVENTS_DECIDED = 20;

// readOnly: a copy of the runtime says it was opened read-only (undispatched-hint.ts), as statement's copy does.
type Lake = Pick<LocalEventlake, 'index' | 'projections' | 'deadLetters' | 'log' | 'store' | 'upcast' | 'dispatchedPosition' | 'dispatchStall'> & { readonly readOnly?: boolean };

const events = (n: number): string => (n === 1 ? '1 event' : `${n} events`);

/**
 * Why `account` has no balance in `projection` although the log's index names it, from what is recorded: the events
 * naming it that dispatch has not delivered yet (and why: a stall, a read-only open, a lag), those dead-lettered on the
 * projection, then for each type of the others whether the projection has no rule for it, its rule moves the account
 * but the projection folded them before the rule was loaded (or with an earlier rule), or its rule moves only the
 * event's other accounts; the commands it names carry `command`'s global options. `undefined` when no indexed event
 * names the account.
 */
export async function unmovedAccount(local: Lake, account: string, command: FollowUp = followUp(), projection = 'balances'): Promise<EventNotFoundError | undefined> {
  return (await explainUnmoved(local, account, command, projection))?.error;
}

/** Why an account has no balance (or statement line), and whether anything is amiss. */
export interface Unmoved {
  readonly error: EventNotFoundError;
  /**
   * False when every event naming the account was folded and its rule, given what dispatch gave it, moves only other
   * accounts: nothing waits, failed or was folded otherwise, so the account's missing balance (or lines) is right.
   */
  readonly amiss: boolean;
}

/** `unmovedAccount`'s explanation, and whether it names anything amiss (see Unmoved). */
export async function explainUnmoved(local: Lake, account: string, command: FollowUp = followUp(), projection = 'balances'): Promise<Unmoved | undefined> {
  const byType = new Map<string, IndexEntry[]>();
  let read = 0;
  for await (const entry of local.index.between({ ...WHOLE_LOG, accounts: [account] })) {
    const group = byType.get(entry.type);
    if (group) group.push(entry);
    else byType.set(entry.type, [entry]);
    if (++read === NAMING_EVENTS_READ) break;
  }
  if (read === 0) return undefined;
  const folds = local.projections.find((p) => p.name === projection);
  const letters = new Map((await local.deadLetters.list(projection)).map((l) => [l.id, l]));
  const dead = [...byType.values()].flat().flatMap((e) => letters.get(e.id) ?? []);
  // Undispatched events first: no rule has seen them, so what they will move says nothing about the rules yet.
  const late = await undispatchedOf(local, [...byType.values()].flat().filter((e) => !letters.has(e.id)));
  const waiting = new Set(late.entries.map((e) => e.id));
  const why: string[] = late.entries.length > 0 ? [await undispatchedReason(local, late, command)] : [];
  if (dead.length > 0) {
    why.push(`${events(dead.length)} naming it ${dead.length === 1 ? 'is' : 'are'} dead-lettered on ${projection} (last error: ${lastError(dead)}): ${command('dlq', 'list')}`);
  }
  let amiss = why.length > 0;
  const generation = await local.store.liveGeneration(projection);
  for (const [type, entries] of byType) {
    const folded = entries.filter((e) => !letters.has(e.id) && !waiting.has(e.id));
    if (folded.length === 0) continue;
    const reason = await typeReason(local, { account, projection, generation, folds, type, entries: folded, command });
    amiss ||= !reason.fine;
    why.push(reason.text);
  }
  const counts = [...byType].map(([type, entries]) => `${entries.length} ${type}`).join(', ');
  const many = read === NAMING_EVENTS_READ ? `${read} or more events` : events(read);
  return { error: new EventNotFoundError(`account ${account} that changes its balance in projection ${projection}: the index has ${many} naming it (${counts}), but ${why.join('; ')}`), amiss };
}

/**
 * Tell stderr when the live generation `balance` read holds events a process with other rules folded (foreign-fold.ts):
 * the balance printed may be wrong for them. Its rebuild command carries `command`'s global options, or, when this
 * process lacks rules the generation was built with, the warning says to rebuild with those.
 */
export async function warnForeignFold(local: Pick<LocalEventlake, 'store' | 'projections' | 'registry'>, command: FollowUp = followUp(), projection = 'balances'): Promise<void> {
  const { warning } = await liveForeignFold(local, projection, command);
  if (warning) process.stderr.write(`eventlake: warning: ${warning}\n`);
}

interface TypeCase {
  readonly account: string;
  readonly projection: string;
  /** The projection's live generation, whose applied records tell what dispatch folded. */
  readonly generation: number;
  readonly folds: Projection | undefined;
  readonly type: string;
  readonly entries: readonly IndexEntry[];
  readonly command: FollowUp;
}

/** Why the folded events of one type naming the account moved no balance; `fine` when nothing is amiss. */
async function typeReason(local: Lake, c: TypeCase): Promise<{ text: string; fine: boolean }> {
  const { projection, type } = c;
  if (!c.folds?.handles({ EventType: type } as DomainEvent)) {
    return { fine: false, text: `${projection} has no rule for ${type} (export one in balanceRules from the module of --extensions FILE, or EVENTLAKE_EXTENSIONS, to fold it)` };
  }
  const moved = await firstMoved(local, c);
  if (moved === undefined) return { fine: true, text: `the ${type} rule of ${projection} moves the event's other accounts` };
  if (moved instanceof Error) return { fine: false, text: `the ${type} rule of ${projection} throws on those events (${moved.message})` };
  const statement = projection === 'balances' ? ', and statement likewise' : '';
  const rebuild = `rebuild ${projection} with the same --extensions (${c.command('rebuild', '--projection', projection, '--from', '0')})${statement}`;
  // Only dispatched events get here: one not applied was skipped, for want of a rule when it was folded.
  const text = (await local.store.appliedRecord(projection, c.generation, moved.id))
    ? `${projection} folded its ${type} events with an earlier rule (the loaded one moves it): ${rebuild}`
    : `${projection} folded its ${type} events before their rule was loaded (the rule moves it): ${rebuild}`;
  return { fine: false, text };
}

/**
 * The first of the type's events (up to EVENTS_DECIDED) whose rule moves the account, given the applied records of its
 * related events as dispatch gives them; the rule's error; or none. Why the records: a verification's deposit credits
 * the verification's account and amount, so without them a deposit verified into another account read as moving its
 * own, and its account's missing statement lines as a rule change.
 */
async function firstMoved(local: Lake, c: TypeCase): Promise<IndexEntry | Error | undefined> {
  for (const entry of c.entries.slice(0, EVENTS_DECIDED)) {
    // An event that cannot be read here (archived, say) tells nothing about the rule: the next one may.
    const event = await readEvent(local, entry);
    const related = event && await relatedRecords(local, c, event);
    if (event === undefined || related === undefined) continue;
    try {
      if (c.folds!.decide(event, related).counters?.some((k) => k.key === c.account)) return entry;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
  return undefined;
}

/**
 * The applied records of the event's related events in the live generation, as dispatch reads them; undefined when one
 * is applied but cannot be read back. Why decided again from the log: stores answer whether an event was applied, not
 * with its memo, and the memo is what the rule's decision of that event left (built in: its own account and amount).
 */
async function relatedRecords(local: Lake, c: TypeCase, event: DomainEvent): Promise<ReadonlyMap<string, AppliedRecord> | undefined> {
  const records = new Map<string, AppliedRecord>();
  for (const id of c.folds!.related(event)) {
    if (!(await local.store.appliedRecord(c.projection, c.generation, id))) continue;
    const entry = await local.index.get(id);
    const other = entry && await readEvent(local, entry);
    if (other === undefined) return undefined;
    try {
      records.set(id, { id, memo: c.folds!.decide(other, new Map()).memo ?? null });
    } catch {
      return undefined;
    }
  }
  return records;
}

const readEvent = (local: Lake, entry: IndexEntry): Promise<DomainEvent | undefined> =>
  local.log.read(entry.location).then(local.upcast, () => undefined);
