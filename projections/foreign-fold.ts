// Events folded into a live generation by a process whose rules are not those that built it: an old client without
// the extensions module emitting into a shared data dir folds with its own rules, records the events as applied, and
// nothing rebuilds them. The generation's recorded rules still name what built it, so `status` compared with them saw
// nothing wrong; the dispatch projector records such folds on the generation (ProjectionStore.noteForeignFold), and
// `status` and `balance` tell every viewer.
//
// Why before the apply: an AWS projector counts the events it applies, and once applied an event's idempotency key
// makes every later delivery of it a duplicate, so a record written after the apply and lost (a failed write, a process
// gone in between) was never written again, and the generation read as clean for good. (A skipped event leaves no
// key, so a local retry skipped it again and recorded it then; one order serves both.) Written first, a failed record
// fails the delivery before anything is applied, and its retry records it. The price is a conservative record when the
// apply then fails: the delivery is retried, by the same process with the same rules in the usual case, and folds those
// events with them then; should a process with the builder's rules fold them instead, the record asks for a rebuild
// that changes nothing, where a lost one leaves state wrong with nobody told. So `events` is at least what was folded
// so (a retried delivery adds its events again).

import { bareCommand, type SpellCommand } from '../domain/command-spelling.ts';
import { eventId, type DomainEvent } from '../domain/event.ts';
import type { ForeignFold, ProjectionStore } from '../domain/ports/projection-store.ts';
import type { Projection } from '../domain/projection.ts';
import type { UpcasterStep } from '../schemas/upcasters.ts';
import { compareRules, recordedTypes, rulesFingerprint, type RecordedRules, type RulesFingerprint, type RulesMatch } from './rebuild/rules-fingerprint.ts';

/** Records what one delivery is about to fold into `generation`; call it before the store applies `events`. */
export type ForeignFoldRecorder = (generation: number, events: readonly DomainEvent[]) => Promise<void>;

/**
 * A recorder for `projection` folding with the rules `upcasters` reach: when a delivery holds events no rule of this
 * process handles (it skips them) in a generation whose recorded rules are not these, one write adds them up on it
 * before the apply. Events the generation already applied (folded by another process) never count, nor do `unknown`
 * recorded rules (none, or code of another form), nor events of a type the generation's builder had no rule for either
 * when it recorded its types (`RecordedRules.rulesTypes`). Stores without `noteForeignFold` record nothing.
 *
 * @example
 * const record = foreignFoldRecorder(store, balances, registry.upcasterSteps());
 * await record(generation, events);
 * await store.apply(balances, generation, events);
 */
export function foreignFoldRecorder(store: ProjectionStore, projection: Projection, upcasters: readonly UpcasterStep[], now: () => number = Date.now): ForeignFoldRecorder {
  let running: RulesFingerprint | undefined;
  // Only events this process had no rule for: processes emitting into one data dir load different extensions as a
  // matter of course (a service sending only built-in types needs none), and the built-in rules they share fold alike;
  // an event skipped for want of a rule the generation's builder had is what leaves the state wrong.
  // And only those of a type the builder had a rule for, when it recorded them: skipping the others is what it did too.
  const rules = () => (running ??= rulesFingerprint(projection, upcasters));
  return recorder(store, projection.name, rules, { now, candidate: (e) => !projection.handles(e), builderTypes: true });
}

/**
 * A recorder for a process folding `name` with the rules `running` read elsewhere: an AWS projector's, as its stack's
 * synth computed them from the sources (its bundle's own reading is not what the CLI reads). As `foreignFoldRecorder`.
 *
 * @example
 * const record = foreignFoldRecorderWith(store, 'balances', { fingerprint: 'balances v1 3f2a9c1e7b04', form: '5d41402a' });
 */
export function foreignFoldRecorderWith(store: ProjectionStore, name: string, running: RulesFingerprint, now: () => number = Date.now): ForeignFoldRecorder {
  // Every event not applied yet: a stack's projectors all carry its synth's rules, so another fingerprint means a
  // deploy changed the rules of a generation nobody rebuilt, and every fold since used them.
  return recorder(store, name, () => running, { now, candidate: () => true, builderTypes: false });
}

/** Which events of a delivery a recorder counts. */
interface Counting {
  readonly now: () => number;
  /** Whether an event may be folded otherwise than the builder did (read before the generation's recorded rules). */
  readonly candidate: (e: DomainEvent) => boolean;
  /** Count only candidates of a type the builder's rules fold, when the generation recorded those types. */
  readonly builderTypes: boolean;
}

/** What a generation recorded of its builder's rules, compared with the running ones. */
interface Builder {
  readonly match: Exclude<RulesMatch, 'unknown'>;
  /** The event types its rules fold; undefined when it did not record them (count every candidate). */
  readonly types: ReadonlySet<string> | undefined;
}

function recorder(store: ProjectionStore, name: string, rules: () => RulesFingerprint, counting: Counting): ForeignFoldRecorder {
  // A generation's recorded rules never change once known (a rebuild records them once; a first generation's record
  // is never overwritten), so each is read once; 'unknown' is asked again, as a first fold may record it later.
  const known = new Map<number, Builder>();
  return async (generation, events) => {
    if (!store.noteForeignFold) return;
    const candidates = events.filter(counting.candidate);
    if (candidates.length === 0) return;
    const running = rules();
    let builder = known.get(generation);
    if (builder === undefined) {
      const recorded = (await store.getCheckpoint(name, generation)) as RecordedRules | undefined;
      const match = compareRules(recorded, running);
      if (match === 'unknown') return;
      known.set(generation, (builder = { match, types: counting.builderTypes ? recordedTypes(recorded) : undefined }));
    }
    if (builder.match !== 'other') return;
    const types = builder.types;
    const ids = new Set((types ? candidates.filter((e) => types.has(e.EventType)) : candidates).map(eventId));
    if (ids.size === 0) return;
    // Read only in a generation already built with other rules: a fold the generation holds was decided by whoever
    // applied it (a redelivery to this process changes nothing), so it is not this delivery's to record.
    const applied = await Promise.all([...ids].map((id) => store.appliedRecord(name, generation, id)));
    const folding = applied.filter((r) => r === undefined).length;
    if (folding > 0) await store.noteForeignFold(name, generation, { rules: running.fingerprint, firstAt: counting.now(), events: folding });
  };
}

/**
 * What to tell an operator about a live generation that holds events folded with other rules; undefined without such
 * a fold. Its rebuild command is spelled by `spell` (the CLI's adds the global options given: the viewer's rules).
 *
 * @example
 * foreignFoldWarning('balances', 1, { rules: 'balances v1 3f2a9c1e7b04', firstAt: 0, events: 5 });
 */
export function foreignFoldWarning(projection: string, generation: number, fold: ForeignFold | undefined, spell: SpellCommand = bareCommand): string | undefined {
  if (!fold) return undefined;
  const events = fold.events === 1 ? '1 event was' : `${fold.events} events were`;
  return `${projection} live generation ${generation}: ${events} folded into it since ${new Date(fold.firstAt).toISOString()} by a process with ` +
    `other rules (${fold.rules}) than those that built it, so its state may be wrong for them: rebuild it with the rules it should hold ` +
    `(${spell('rebuild', '--projection', projection, '--from', '0')}), and run every process that emits into this lake with the same ` +
    '--schemas and --extensions';
}
