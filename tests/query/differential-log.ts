// A seeded random local log for the query differential tests: appends through the real FsEventLog (indexed by the
// real indexer), compaction (sometimes interrupted, leaving batch objects beside their segment), legacy one-event
// copies, archive transitions, restores and expiries through FsArchiveTier; and random eventsBetween queries.
//
// Why random times are drawn from a few points per hour: ties of EventTimeStamp, events on the first and last second
// of an hour, and hours crossing a day, month and year boundary are where range and order rules differ first.

import { join } from 'node:path';
import { openLocalEventlake } from '../../adapters/local/open-local-eventlake.ts';
import type { LocalEventlake } from '../../adapters/local/local-eventlake.ts';
import type { DomainEvent } from '../../domain/event.ts';
import { eventKey, partitionPrefix, serializeEvent } from '../../domain/event.ts';
import { accountNumber, generateEvents, seededRandom } from '../../domain/generator.ts';
import type { TimeRangeQuery } from '../../domain/ports/event-index.ts';
import { LOG_END } from '../../domain/query-params.ts';
import { compactHour } from '../../projections/compactor.ts';
import { ACCOUNT_FIELDS_SCHEMAS, cardPayment, feeCharged } from '../support/account-fields.ts';
import { put } from '../support/log-fixture.ts';
import { tempDir } from '../support/tmp.ts';

export const H = 3600;
/** 2023-12-31T21:00Z: the log's hours cross a day, a month and a year boundary. */
export const START = Date.UTC(2023, 11, 31, 21) / 1000;
export const HOURS = 6;
const ACCOUNTS = 5;
const TYPES = ['cash_deposit', 'verify_cash_deposit', 'cash_withdrawal', 'incoming_payment', 'inter_account_transfer'];
const DAY_MS = 86_400_000;
const USER_TYPES = ['card_payment', 'fee_charged'];
/** The TargetAccount of card payments: a field, not one of their accounts, so a filter on it finds none of them. */
const MERCHANT = 'SHOP-0001';

/**
 * Every third event as a user type's, at its time, touching its accounts (a fee's second account only sometimes).
 * Verifications stay: one carries its deposit's RequestId, so made the same user type as its deposit it would be a
 * second event of one identity, which the log refuses (the same RequestId in another hour is EVENT_CONFLICT).
 */
function userEvent(e: DomainEvent, i: number): DomainEvent | undefined {
  if (i % 3 !== 0 || e.EventType === 'verify_cash_deposit') return undefined;
  const [first = accountNumber(0), second] = [e['SourceAccount'], e['TargetAccount']].filter((a): a is string => typeof a === 'string');
  const made = i % 2 === 0 ? cardPayment(i, e.EventTimeStamp, first, MERCHANT) : feeCharged(i, e.EventTimeStamp, first, i % 4 === 1 ? second : undefined);
  return { ...made, RequestId: e.RequestId };
}

/** Runs and first seed of a differential suite: EVENTLAKE_QUERY_DIFF_RUNS / _SEED make it longer or replay one case. */
export function diffRuns(defaultRuns: number): { runs: number; firstSeed: number } {
  const seed = process.env['EVENTLAKE_QUERY_DIFF_SEED'];
  return { runs: Number(process.env['EVENTLAKE_QUERY_DIFF_RUNS'] ?? (seed === undefined ? defaultRuns : 1)), firstSeed: Number(seed ?? 1) };
}

/** A local eventlake on a temp dir with a clock the expiry step moves, and what was done to it (for a failure's report). */
export class DiffLog {
  readonly steps: string[] = [];
  private readonly pool: DomainEvent[];
  private readonly stored: DomainEvent[] = [];
  private readonly types: readonly string[];
  private constructor(readonly dataDir: string, readonly local: LocalEventlake, private readonly clock: { ms: number }, readonly random: () => number, userTypes: boolean) {
    this.pool = generateEvents({ accounts: ACCOUNTS, days: 1, eventsPerDay: 2_000, start: START, seed: Math.floor(random() * 1e9) });
    this.types = userTypes ? [...TYPES, ...USER_TYPES] : TYPES;
    if (userTypes) this.pool = this.pool.map((e, i) => userEvent(e, i) ?? e);
  }

  /**
   * With `userTypes`, the lake loads the account-fields fixture schemas and a third of the events are card payments
   * and fees (tests/support/account-fields.ts), whose accounts are the fields they declare.
   */
  static async open(seed: number, options: { userTypes?: boolean } = {}): Promise<DiffLog> {
    const dataDir = tempDir('eventlake-query-diff-');
    const clock = { ms: Date.UTC(2024, 6, 1) };
    const local = await openLocalEventlake({
      dataDir, now: () => clock.ms, restoreDelayMs: 0, onCatchUpError: () => undefined, ...(options.userTypes ? { schemaFolders: [ACCOUNT_FIELDS_SCHEMAS] } : {}),
    });
    return new DiffLog(dataDir, local, clock, seededRandom(seed), options.userTypes ?? false);
  }

  close(): Promise<void> {
    return this.local.close();
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** A time of the log's span, mostly on or next to an hour's first and last seconds. */
  time(): number {
    const hour = START + Math.floor(this.random() * HOURS) * H;
    return hour + this.pick([0, 0, 1, 59, 1800, H - 2, H - 1, H - 1, Math.floor(this.random() * H)]);
  }

  /** One random change of the log, through the real adapters. */
  async step(): Promise<void> {
    const r = this.random();
    if (r < 0.4 || this.stored.length === 0) await this.append();
    else if (r < 0.55) await this.compact();
    else if (r < 0.65) await this.legacyCopy();
    else if (r < 0.8) await this.archive();
    else if (r < 0.93) await this.restore();
    else await this.expire();
  }

  async append(): Promise<void> {
    const n = 1 + Math.floor(this.random() * 12);
    const fresh = this.pool.splice(0, n).map((e) => ({ ...e, EventTimeStamp: this.time() }));
    // Sometimes a client re-sends stored events with new ones: the log stores them once.
    const again = this.random() < 0.2 ? this.stored.slice(-2) : [];
    await this.local.log.append([...fresh, ...again]);
    await this.local.catchUp();
    this.stored.push(...fresh);
    this.steps.push(`append ${fresh.map((e) => e.EventTimeStamp - START).join(',')}${again.length ? ` + ${again.length} again` : ''}`);
  }

  /** Compact an hour; a crash after the segment or after the index moved leaves the originals beside the segment. */
  async compact(): Promise<void> {
    const prefix = partitionPrefix(this.time());
    const crash = this.pick(['none', 'none', 'afterSegment', 'afterRelocate'] as const);
    const boom = () => { throw new Error('simulated crash'); };
    try {
      await compactHour({ log: this.local.log, index: this.local.index }, prefix, crash === 'none' ? {} : { [crash]: boom });
    } catch (error) {
      if ((error as Error).message !== 'simulated crash') throw error;
    }
    this.steps.push(`compact ${prefix} (crash ${crash})`);
  }

  /** A one-event object beside a stored event's batch object or segment, as data dirs of older versions hold them. */
  async legacyCopy(): Promise<void> {
    const e = this.pick(this.stored);
    put(join(this.dataDir, eventKey(e)), `${serializeEvent(e)}\n`);
    this.steps.push(`legacy copy ${eventKey(e)}`);
  }

  async archive(): Promise<void> {
    const hot = (await this.local.index.objects()).filter((o) => o.storageClass === 'STANDARD' && o.key.includes('/segment'));
    if (hot.length === 0) return;
    const key = this.pick(hot).key;
    const to = this.pick(['GLACIER', 'DEEP_ARCHIVE'] as const);
    await this.local.archive.transition(key, to);
    this.steps.push(`archive ${key} to ${to}`);
  }

  async restore(): Promise<void> {
    const cold = (await this.local.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
    if (cold.length === 0) return;
    const key = this.pick(cold).key;
    await this.local.archive.restore([key], { tier: 'Bulk', days: 1 });
    await this.local.archive.storage([key]); // the tier settles restores as it is asked (the delay is 0)
    this.steps.push(`restore ${key}`);
  }

  /** Two days later: every restored copy expires. */
  async expire(): Promise<void> {
    this.clock.ms += 2 * DAY_MS;
    const cold = (await this.local.index.objects()).filter((o) => o.storageClass !== 'STANDARD');
    await this.local.archive.storage(cold.map((o) => o.key));
    this.steps.push('expire restored copies');
  }

  /** A random eventsBetween query: a range on or off hour boundaries (sometimes the whole log), maybe filtered. */
  query(): TimeRangeQuery {
    let from = this.random() < 0.1 ? 0 : this.time() - (this.random() < 0.2 ? H : 0);
    let to = this.random() < 0.15 ? LOG_END : this.time() + this.pick([0, 1, H]);
    if (from >= to) [from, to] = [to - 1, from + 1];
    const some = (all: readonly string[]) => all.filter(() => this.random() < 0.4);
    const types = this.random() < 0.3 ? some([...this.types, 'no_such_type']) : undefined;
    const accounts = this.random() < 0.3 ? some([...Array.from({ length: ACCOUNTS }, (_, i) => accountNumber(i)), 'ACC-none', MERCHANT]) : undefined;
    return { from, to, ...(types?.length ? { types } : {}), ...(accounts?.length ? { accounts } : {}) };
  }
}
