// Events folded into a live generation by a process whose rules are not those that built it: an old client without
// the extensions module emitting into a shared data dir folds with its own rules, records the events as applied, and
// nothing rebuilds them. The generation's recorded rules still name what built it, so `status` compared with them saw
// nothing wrong; the dispatch projector records such folds on the generation (ProjectionStore.noteForeignFold), and
// `status` and `balance` tell every viewer.

import { bareCommand, type SpellCommand } from '../domain/command-spelling.ts';
import type { ApplyOutcome, ForeignFold, ProjectionStore } from '../domain/ports/projection-store.ts';
import type { Projection } from '../domain/projection.ts';
import type { UpcasterStep } from '../schemas/upcasters.ts';
import { compareRules, rulesFingerprint, type RecordedRules, type RulesFingerprint, type RulesMatch } from './rebuild/rules-fingerprint.ts';

/** Records what one delivery folded into `generation`, once the store applied it. */
export type ForeignFoldRecorder = (generation: number, outcomes: readonly ApplyOutcome[]) => Promise<void>;

/**
 * A recorder for `projection` folding with the rules `upcasters` reach: when a delivery skipped events (no rule of this
 * process handles them) in a generation whose recorded rules are not these, one write adds them up on it. `unknown` recorded rules (none, or code
 * of another form) never count. Stores without `noteForeignFold` record nothing.
 *
 * @example
 * const record = foreignFoldRecorder(store, balances, registry.upcasterSteps());
 * await record(generation, await store.apply(balances, generation, events));
 */
export function foreignFoldRecorder(store: ProjectionStore, projection: Projection, upcasters: readonly UpcasterStep[], now: () => number = Date.now): ForeignFoldRecorder {
  let running: RulesFingerprint | undefined;
  // Only events this process had no rule for: processes emitting into one data dir load different extensions as a
  // matter of course (a service sending only built-in types needs none), and the built-in rules they share fold alike;
  // an event skipped for want of a rule the generation's builder had is what leaves the state wrong.
  return recorder(store, projection.name, () => (running ??= rulesFingerprint(projection, upcasters)), now, (o) => o.status === 'skipped');
}

/**
 * A recorder for a process folding `name` with the rules `running` read elsewhere: an AWS projector's, as its stack's
 * synth computed them from the sources (its bundle's own reading is not what the CLI reads). As `foreignFoldRecorder`.
 *
 * @example
 * const record = foreignFoldRecorderWith(store, 'balances', { fingerprint: 'balances v1 3f2a9c1e7b04', form: '5d41402a' });
 */
export function foreignFoldRecorderWith(store: ProjectionStore, name: string, running: RulesFingerprint, now: () => number = Date.now): ForeignFoldRecorder {
  // Every event folded: a stack's projectors all carry its synth's rules, so another fingerprint means a deploy changed
  // the rules of a generation nobody rebuilt, and every fold since used them.
  return recorder(store, name, () => running, now, (o) => o.status !== 'duplicate');
}

function recorder(store: ProjectionStore, name: string, rules: () => RulesFingerprint, now: () => number, counts: (o: ApplyOutcome) => boolean): ForeignFoldRecorder {
  // A generation's recorded rules never change once known (a rebuild records them once; a first generation's record
  // is never overwritten), so each is read once; 'unknown' is asked again, as a first fold may record it later.
  const known = new Map<number, Exclude<RulesMatch, 'unknown'>>();
  return async (generation, outcomes) => {
    const events = outcomes.filter(counts).length;
    if (events === 0 || !store.noteForeignFold) return;
    const running = rules();
    let match = known.get(generation);
    if (match === undefined) {
      const found = compareRules((await store.getCheckpoint(name, generation)) as RecordedRules | undefined, running);
      if (found === 'unknown') return;
      known.set(generation, (match = found));
    }
    if (match === 'other') await store.noteForeignFold(name, generation, { rules: running.fingerprint, firstAt: now(), events });
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
