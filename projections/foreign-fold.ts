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
import { foldsOtherwise, lacksBuilderRules, recordedRulesByType, type BuilderRules } from './rebuild/rule-digests.ts';
import { compareRules, ruleDigests, rulesFingerprint, type RecordedRules, type RulesFingerprint, type RulesMatch, upcastersOf } from './rebuild/rules-fingerprint.ts';

/** Records what one delivery is about to fold into `generation`; call it before the store applies `events`. */
export type ForeignFoldRecorder = (generation: number, events: readonly DomainEvent[]) => Promise<void>;

/**
 * A recorder for `projection` folding with the rules `upcasters` reach: when a delivery holds events this process folds
 * otherwise than the builder of a generation whose recorded rules are not these, one write adds them up on it before
 * the apply. Otherwise means, when the generation recorded its rules by type (`RecordedRules.ruleDigests`): the builder
 * had a rule for the type and this process has none, or one of another digest (an extensions module's override of a
 * built-in rule the process lacks); with types but no digests (older records), only the first; with neither, every
 * event this process has no rule for. Events the generation already applied (folded by another process) never count,
 * nor do `unknown` recorded rules (none, or code of another form). Stores without `noteForeignFold` record nothing.
 * An AWS projector given its synth's fingerprint and digests (`withGivenRules`) counts with this one too.
 *
 * @example
 * const record = foreignFoldRecorder(store, balances, registry.upcasterSteps());
 * await record(generation, events);
 * await store.apply(balances, generation, events);
 */
export function foreignFoldRecorder(store: ProjectionStore, projection: Projection, upcasters: readonly UpcasterStep[], now: () => number = Date.now): ForeignFoldRecorder {
  let running: RulesFingerprint | undefined;
  let own: { digests: Readonly<Record<string, string>> | undefined } | undefined;
  const digests = () => (own ??= { digests: ruleDigests(projection, upcasters) }).digests;
  // Not every event this process skips: processes emitting into one data dir load different extensions as a matter of
  // course (a service sending only built-in types needs none), and rules they share fold alike. What leaves the state
  // wrong is an event skipped for want of the builder's rule, or folded with another rule for its type than the
  // builder's; skipping a type the builder had no rule for either is what it did too.
  const rules = () => (running ??= rulesFingerprint(projection, upcasters));
  return recorder(store, projection.name, rules, {
    now,
    // Handled events may differ only by digest, which needs this process's own digests to tell.
    mayCount: (events) => digests() !== undefined || events.some((e) => !projection.handles(e)),
    counts: (e, builder) => (builder ? foldsOtherwise(e, builder, digests(), projection.handles(e)) : !projection.handles(e)),
    byType: true,
  });
}

/**
 * A recorder for a process folding `name` with the rules `running` read elsewhere, without their digests by type: an
 * AWS projector's whose stack's synth gave it the fingerprint only (synthesized before digests; its bundle's own
 * reading is not what the CLI reads). As `foreignFoldRecorder`, but counting every event not applied yet.
 *
 * @example
 * const record = foreignFoldRecorderWith(store, 'balances', { fingerprint: 'balances v1 3f2a9c1e7b04', form: '5d41402a' });
 */
export function foreignFoldRecorderWith(store: ProjectionStore, name: string, running: RulesFingerprint, now: () => number = Date.now): ForeignFoldRecorder {
  // Every event not applied yet: a stack's projectors all carry its synth's rules, so another fingerprint means a
  // deploy changed the rules of a generation nobody rebuilt, and without digests nothing tells which types it changed.
  return recorder(store, name, () => running, { now, mayCount: () => true, counts: () => true, byType: false });
}

/** Which events of a delivery a recorder counts. */
interface Counting {
  readonly now: () => number;
  /** Whether a delivery may hold an event to count (read before the generation's recorded rules). */
  readonly mayCount: (events: readonly DomainEvent[]) => boolean;
  /** Whether an event is folded otherwise than by a builder that recorded `builder` (undefined: recorded none). */
  readonly counts: (e: DomainEvent, builder: BuilderRules | undefined) => boolean;
  /** Read the generation's recorded rules by type. */
  readonly byType: boolean;
}

/** What a generation recorded of its builder's rules, compared with the running ones. */
interface Builder {
  readonly match: Exclude<RulesMatch, 'unknown'>;
  /** Its rules by event type; undefined when it did not record them. */
  readonly rules: BuilderRules | undefined;
}

function recorder(store: ProjectionStore, name: string, rules: () => RulesFingerprint, counting: Counting): ForeignFoldRecorder {
  // A generation's recorded rules never change once known (a rebuild records them once; a first generation's record
  // is never overwritten), so each is read once; 'unknown' is asked again, as a first fold may record it later.
  const known = new Map<number, Builder>();
  return async (generation, events) => {
    if (!store.noteForeignFold || events.length === 0 || !counting.mayCount(events)) return;
    const running = rules();
    let builder = known.get(generation);
    if (builder === undefined) {
      const recorded = (await store.getCheckpoint(name, generation)) as RecordedRules | undefined;
      const match = compareRules(recorded, running);
      if (match === 'unknown') return;
      known.set(generation, (builder = { match, rules: counting.byType ? recordedRulesByType(recorded) : undefined }));
    }
    if (builder.match !== 'other') return;
    const byType = builder.rules;
    const ids = new Set(events.filter((e) => counting.counts(e, byType)).map(eventId));
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
 * `viewerLacksRules` (`lacksBuilderRules`): the viewer lacks rules the generation's builder had, so the rebuild it
 * would spell folds with the wrong ones; the warning says to give it the options the generation was built with.
 *
 * @example
 * foreignFoldWarning('balances', 1, { rules: 'balances v1 3f2a9c1e7b04', firstAt: 0, events: 5 });
 */
export function foreignFoldWarning(projection: string, generation: number, fold: ForeignFold | undefined, spell: SpellCommand = bareCommand, viewerLacksRules = false): string | undefined {
  if (!fold) return undefined;
  const events = fold.events === 1 ? '1 event was' : `${fold.events} events were`;
  const rebuild = spell('rebuild', '--projection', projection, '--from', '0');
  // Which options those were is not recorded (a path on another machine would be a guess): only that they differ.
  const how = viewerLacksRules
    ? `rebuild it with the same --schemas/--extensions the generation was built with (this process lacks rules it was built with, so ${rebuild} as run here would fold with the wrong ones)`
    : `rebuild it with the rules it should hold (${rebuild})`;
  return `${projection} live generation ${generation}: ${events} folded into it since ${new Date(fold.firstAt).toISOString()} by a process with ` +
    `other rules (${fold.rules}) than those that built it, so its state may be wrong for them: ${how}, and run every process that emits ` +
    'into this lake with the same --schemas and --extensions';
}

/** What a viewer of a live generation reads its folds with other rules with, and its own rules. */
export interface FoldViewer {
  readonly store: Pick<ProjectionStore, 'getCheckpoint' | 'liveGeneration' | 'foreignFold'>;
  readonly projections: readonly Projection[];
  readonly registry: { upcasterSteps?(): readonly UpcasterStep[] };
}

/**
 * Whether `viewer` lacks rules the builder of `projection`'s `generation` had (`lacksBuilderRules`): the
 * `viewerLacksRules` of `foreignFoldWarning`. False for a projection the viewer does not run.
 *
 * @example
 * const lacks = await viewerLacksRules(local, 'balances', await local.store.liveGeneration('balances'));
 */
export async function viewerLacksRules(viewer: FoldViewer, projection: string, generation: number): Promise<boolean> {
  const own = viewer.projections.find((p) => p.name === projection);
  if (!own) return false;
  const recorded = (await viewer.store.getCheckpoint(projection, generation)) as RecordedRules | undefined;
  return lacksBuilderRules(recorded, own, upcastersOf(viewer.registry));
}

/**
 * The live generation of `projection`'s record of folds with other rules, and the warning `viewer` is to be given
 * about it (`foreignFoldWarning`); neither without such a fold.
 *
 * @example
 * const { warning } = await liveForeignFold(local, 'balances');
 */
export async function liveForeignFold(viewer: FoldViewer, projection: string, spell: SpellCommand = bareCommand): Promise<{ fold?: ForeignFold; warning?: string }> {
  const generation = await viewer.store.liveGeneration(projection);
  const fold = await viewer.store.foreignFold?.(projection, generation);
  if (!fold) return {};
  const warning = foreignFoldWarning(projection, generation, fold, spell, await viewerLacksRules(viewer, projection, generation));
  return warning ? { fold, warning } : {};
}
