// Why an account the log's index names has no balance, in the CLI's words (`eventlake balance`, GET /balances/ACCOUNT).

import type { LocalEventlake } from '../adapters/local/local-eventlake.ts';
import { EventNotFoundError } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/event.ts';
import type { IndexEntry } from '../domain/ports/event-index.ts';
import type { Projection } from '../domain/projection.ts';
import { WHOLE_LOG } from '../domain/query-params.ts';
import { liveForeignFold } from '../projections/foreign-fold.ts';
import { lastError } from './dead-letter-hint.ts';
import { followUp, type FollowUp } from './follow-up.ts';

/** Entries of the account index read to describe an account without a balance; past it the count is "or more". */
const NAMING_EVENTS_READ = 10_000;
/** Events of one type read back and given to the rule: enough to tell a rule that moves the account from one that does not. */
const EVENTS_DECIDED = 20;

type Lake = Pick<LocalEventlake, 'index' | 'projections' | 'deadLetters' | 'log' | 'store' | 'upcast'>;

const events = (n: number): string => (n === 1 ? '1 event' : `${n} events`);

/**
 * Why `account` has no balance in `projection` although the log's index names it, from what is recorded: the events
 * naming it that are dead-lettered on the projection, then for each type of the others whether the projection has no
 * rule for it, its rule moves the account but the projection folded them before the rule was loaded (or with an earlier
 * rule), or its rule moves only the event's other accounts; the commands it names carry `command`'s global options.
 * `undefined` when no indexed event names the account.
 */
export async function unmovedAccount(local: Lake, account: string, command: FollowUp = followUp(), projection = 'balances'): Promise<EventNotFoundError | undefined> {
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
  const why: string[] = [];
  if (dead.length > 0) {
    why.push(`${events(dead.length)} naming it ${dead.length === 1 ? 'is' : 'are'} dead-lettered on ${projection} (last error: ${lastError(dead)}): ${command('dlq', 'list')}`);
  }
  for (const [type, entries] of byType) {
    const alive = entries.filter((e) => !letters.has(e.id));
    if (alive.length > 0) why.push(await typeReason(local, { account, projection, folds, type, entries: alive, command }));
  }
  const counts = [...byType].map(([type, entries]) => `${entries.length} ${type}`).join(', ');
  const many = read === NAMING_EVENTS_READ ? `${read} or more events` : events(read);
  return new EventNotFoundError(`account ${account} that changes its balance in projection ${projection}: the index has ${many} naming it (${counts}), but ${why.join('; ')}`);
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
  readonly folds: Projection | undefined;
  readonly type: string;
  readonly entries: readonly IndexEntry[];
  readonly command: FollowUp;
}

/** Why the (not dead-lettered) events of one type naming the account moved no balance. */
async function typeReason(local: Lake, c: TypeCase): Promise<string> {
  const { projection, type } = c;
  if (!c.folds?.handles({ EventType: type } as DomainEvent)) {
    return `${projection} has no rule for ${type} (export one in balanceRules from the module of --extensions FILE, or EVENTLAKE_EXTENSIONS, to fold it)`;
  }
  const moved = await firstMoved(local, c);
  if (moved === undefined) return `the ${type} rule of ${projection} moves the event's other accounts`;
  if (moved instanceof Error) return `the ${type} rule of ${projection} throws on those events (${moved.message})`;
  const statement = projection === 'balances' ? ', and statement likewise' : '';
  const rebuild = `rebuild ${projection} with the same --extensions (${c.command('rebuild', '--projection', projection, '--from', '0')})${statement}`;
  const generation = await local.store.liveGeneration(projection);
  return (await local.store.appliedRecord(projection, generation, moved.id))
    ? `${projection} folded its ${type} events with an earlier rule (the loaded one moves it): ${rebuild}`
    : `${projection} folded its ${type} events before their rule was loaded (the rule moves it): ${rebuild}`;
}

/** The first of the type's events (up to EVENTS_DECIDED) whose rule moves the account, the rule's error, or none. */
async function firstMoved(local: Lake, c: TypeCase): Promise<IndexEntry | Error | undefined> {
  for (const entry of c.entries.slice(0, EVENTS_DECIDED)) {
    // An event that cannot be read here (archived, say) tells nothing about the rule: the next one may.
    const event = await local.log.read(entry.location).then(local.upcast, () => undefined);
    if (event === undefined) continue;
    try {
      // Related records only choose amounts (a verification's deposit): which accounts move shows without them.
      if (c.folds!.decide(event, new Map()).counters?.some((k) => k.key === c.account)) return entry;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
  return undefined;
}
