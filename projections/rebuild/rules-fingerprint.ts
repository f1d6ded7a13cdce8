// Which rules built a generation: a fingerprint of what a projection folds with (its name, its version, the source of
// its rules by event type, built-in ones included, and of the upcasters that reach them), recorded in every rebuild's
// checkpoint and compared with the running code's before a rebuild takes a generation over, before a promotion, and
// by `eventlake status` / `generations list`.
//
// Why source text: a rule is code, and its text is what two processes running the same code read alike, without a
// version a user must remember to bump. It covers what the rule functions say, not the helpers they call nor the values
// they close over (a module constant such as a fee): changing only those reads as the same rules; rebuild by hand.
//
// Why a code form beside it: the same rules read differently once bundled (the deployed functions are minified), so a
// fingerprint is only compared with one written by code of the same form; another form's is 'unknown', never 'other'.
// Bundled code's form also names its rules' text: a minifier names a rule's helpers after everything else in the
// bundle, so a redeploy that changed any other code reads the same rules differently with the same probe. Bundled
// fingerprints are thus 'same' within one bundle's rules and 'unknown' across them, never a false 'other'.
//
// Why a fingerprint can be given: a stack's synth computes its projections' fingerprints from the sources it bundles,
// as the CLI computes them (infra/rules-fingerprints.ts), and the bundled functions record and compare those
// (`withGivenRules`), so the CLI running the same sources tells 'same' from 'other' on AWS too. A given fingerprint is
// what the synth read: a stack deployed from another checkout records that checkout's rules.

import { createHash } from 'node:crypto';
import { bareCommand, type SpellCommand } from '../../domain/command-spelling.ts';
import { EventlakeError } from '../../domain/errors.ts';
import type { Projection } from '../../domain/projection.ts';
import type { UpcasterStep } from '../../schemas/upcasters.ts';

/** The rules a projection folds with, as this process reads them. */
export interface RulesFingerprint {
  /** `<projection> v<version> <sha256 of the rules' source, 12 hex digits>`, e.g. `balances v1 3f2a9c1e7b04`. */
  readonly fingerprint: string;
  /**
   * How this process's code reads as text (tsx, a minified bundle, …): fingerprints of other forms do not compare.
   * Bundled code's names its rules' digest too (the same rules read otherwise in another bundle).
   */
  readonly form: string;
}

/** What a checkpoint recorded of the rules that built its generation (all absent in checkpoints older than them). */
export interface RecordedRules {
  readonly rulesFingerprint?: string;
  readonly rulesForm?: string;
  /**
   * Each rule's digest by the event type it folds (`ruleDigests`): what the fingerprint, one hash, cannot say. Absent
   * when they could not be read (a projection without `Projection.rules`, given rules) and in checkpoints older than it.
   */
  readonly ruleDigests?: Readonly<Record<string, string>>;
  /** The event types those rules fold, sorted, without digests: given rules, and checkpoints written before digests. */
  readonly rulesTypes?: readonly string[];
}

/**
 * - `same`: built with the running code's rules;
 * - `other`: built with other rules (a changed rule, upcaster or version);
 * - `unknown`: nothing recorded (an older checkpoint, a generation no rebuild wrote) or recorded by code of another form.
 */
export type RulesMatch = 'same' | 'other' | 'unknown';

const hash = (text: string, digits: number): string => createHash('sha256').update(text).digest('hex').slice(0, digits);

// Its text is what this process's loader or bundler made of it: two processes agree on it when they read rules alike.
function formProbe(value: number): number {
  const doubled = value * 2;
  return doubled + 1;
}

const PROBE = formProbe.toString();
const FORM = hash(PROBE, 8);

// Loaded from its own file with its names as written (tsx, type stripping, tsc output), or not: bundled or minified.
const BUNDLED = !/\/rules-fingerprint\.[cm]?[jt]s$/.test(String(import.meta.url).split(/[?#]/)[0]!) || !PROBE.includes('doubled');

/** The source of one rule: a function's text, or each function of an object (a balance rule's decide, related). */
function ruleSource(rule: object): [string, string][] {
  if (typeof rule === 'function') return [['', rule.toString()]];
  return Object.keys(rule).sort().flatMap((part): [string, string][] => {
    const value = (rule as Record<string, unknown>)[part];
    return typeof value === 'function' ? [[part, value.toString()]] : [];
  });
}

/**
 * The fingerprint of the rules `projection` folds with, given the upcasters registered (`registry.upcasterSteps()`):
 * those of the types it has rules for reach it (all of them when it does not list its rules, see `Projection.rules`).
 *
 * @example
 * rulesFingerprint(createBalancesProjection(), registry.upcasterSteps()).fingerprint; // 'balances v1 3f2a9c1e7b04'
 */
export function rulesFingerprint(projection: Projection, upcasters: readonly UpcasterStep[] = []): RulesFingerprint {
  const given = givenOf(projection);
  if (given) return { fingerprint: given.fingerprint, form: given.form };
  const rules = projection.rules;
  const parts: string[][] = rules
    ? Object.keys(rules).sort().flatMap((type) => ruleParts(type, rules[type]!))
    : [['handles', projection.handles.toString()], ['related', projection.related.toString()], ['decide', projection.decide.toString()]];
  const reaching = upcasterParts(upcasters, (type) => !rules || Object.hasOwn(rules, type));
  const digest = hash(JSON.stringify([projection.name, projection.version, ...parts, ...reaching]), 12);
  return { fingerprint: `${projection.name} v${projection.version} ${digest}`, form: BUNDLED ? `${FORM}.${digest}` : FORM };
}

const ruleParts = (type: string, rule: object): string[][] => ruleSource(rule).map(([part, source]) => ['rule', type, part, source]);

/** The upcasters of the types `reaches` keeps, by type then version: the order the fingerprint hashes them in. */
function upcasterParts(upcasters: readonly UpcasterStep[], reaches: (type: string) => boolean): string[][] {
  return upcasters
    .filter((u) => reaches(u.type))
    .map((u) => ['upcaster', u.type, String(u.fromVersion), u.upcast.toString()])
    .sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : Number(a[2]) - Number(b[2])));
}

/**
 * Each rule's digest by event type, hashed as the fingerprint hashes that rule and the upcasters reaching its type, so
 * changing one rule changes only its type's; undefined when `projection` does not list its rules, or reads as given
 * without digests (a bundle's text is not what the CLI reads); the given digests when it was given them
 * (`withGivenRules`). Kept out of the fingerprint: older generations must still read 'same'.
 *
 * @example
 * ruleDigests(createBalancesProjection(), registry.upcasterSteps()); // { cash_deposit: '9b1e04c3aa71', ... }
 */
export function ruleDigests(projection: Projection, upcasters: readonly UpcasterStep[] = []): Record<string, string> | undefined {
  const rules = projection.rules;
  const given = givenOf(projection);
  if (!rules || given) return rules && given?.digests ? { ...given.digests } : undefined;
  return Object.fromEntries(Object.keys(rules).sort().map((type) =>
    [type, hash(JSON.stringify([type, ...ruleParts(type, rules[type]!), ...upcasterParts(upcasters, (t) => t === type)]), 12)]));
}

// On a wrapper, under a symbol: the projection given to withGivenRules is not changed (the built-ins are module
// constants every caller shares), and only what withGivenRules made reads as given.
const GIVEN = Symbol('eventlake.givenRules');
const givenOf = (p: Projection) => (p as { [GIVEN]?: RulesFingerprint & { digests?: Readonly<Record<string, string>> } })[GIVEN];

/**
 * `projection` reading as `given` to `rulesFingerprint`, whatever its code's form, and as `digests` (its rules'
 * `ruleDigests`, read in that form) to `ruleDigests`: for code whose own reading is not the one to record (a bundle,
 * given what its synth computed from the sources). Both stand for the upcasters too: they must have been computed with
 * those that reach the projection where it runs. Without `digests` it records its rules' types only (`rulesByType`).
 *
 * @example
 * const balances = withGivenRules(bundled, { fingerprint: 'balances v1 3f2a9c1e7b04', form: '5d41402a' }, { cash_deposit: '9b1e04c3aa71' });
 */
export function withGivenRules(projection: Projection, given: RulesFingerprint, digests?: Readonly<Record<string, string>>): Projection {
  const value = { fingerprint: given.fingerprint, form: given.form, ...(digests ? { digests: { ...digests } } : {}) };
  return Object.create(projection, { [GIVEN]: { value } }) as Projection;
}

/** The upcasters of a registry that lists them (`SchemaRegistry.upcasterSteps`); none otherwise. */
export function upcastersOf(registry: { upcasterSteps?(): readonly UpcasterStep[] }): readonly UpcasterStep[] {
  return registry.upcasterSteps?.() ?? [];
}

/** What a checkpoint records of the rules by event type (`RecordedRules.ruleDigests`, else `rulesTypes`). */
export interface RulesByType { ruleDigests?: Record<string, string>; rulesTypes?: string[] }

/**
 * What a checkpoint records of `projection`'s rules by event type: their digests (given ones for given rules), or
 * (given rules without digests, which this process cannot read) only their types; nothing for a projection that does
 * not list its rules.
 */
export function rulesByType(projection: Projection, upcasters: readonly UpcasterStep[] = []): RulesByType {
  const digests = ruleDigests(projection, upcasters);
  if (digests) return { ruleDigests: digests };
  return projection.rules ? { rulesTypes: Object.keys(projection.rules).sort() } : {};
}

/** What a checkpoint records of `running` and of its rules by type (`rulesByType`), to spread into it. */
export function recordRules(running: RulesFingerprint, byType: RulesByType = {}): { rulesFingerprint: string; rulesForm: string } & RulesByType {
  return { rulesFingerprint: running.fingerprint, rulesForm: running.form, ...structuredClone(byType) };
}

/** Whether a generation that recorded `recorded` was built with the `running` rules. */
export function compareRules(recorded: RecordedRules | undefined, running: RulesFingerprint): RulesMatch {
  if (typeof recorded?.rulesFingerprint !== 'string' || recorded.rulesForm !== running.form) return 'unknown';
  return recorded.rulesFingerprint === running.fingerprint ? 'same' : 'other';
}

/** How a generation's recorded rules read to an operator: the fingerprint, or why there is none to compare. */
export function describeRules(recorded: RecordedRules | undefined, running: RulesFingerprint): string {
  if (typeof recorded?.rulesFingerprint !== 'string') return 'unknown';
  return recorded.rulesForm === running.form ? recorded.rulesFingerprint : `${recorded.rulesFingerprint} (other code form: not compared)`;
}

/**
 * A generation built with other rules than the running code's: promoting (or resuming) it would serve state the old
 * rules decided as if the running ones had. Rebuild it with these rules, or run with the rules that built it.
 */
export class GenerationRulesChangedError extends EventlakeError {
  readonly code = 'GENERATION_RULES_CHANGED';
  constructor(readonly projection: string, readonly generation: number, readonly builtWith: string, readonly running: string, readonly action: 'promoted' | 'resumed', spell: SpellCommand = bareCommand) {
    super(`${projection} generation ${generation} was built with the rules ${builtWith}, not the running code's ${running}: its state follows ` +
      `the other rules, so it is not ${action}; rebuild it with these rules (${spell('rebuild', '--projection', projection, '--from', 'T')}, T a time or 0, then ` +
      `${spell('generations', 'drop', String(generation), '--projection', projection)}), or run eventlake with the rules that built it (the same code and --extensions)`);
  }

  /** This error with its commands spelled by `spell` (CommandNaming, domain/command-spelling.ts). */
  spelledWith(spell: SpellCommand): GenerationRulesChangedError {
    return new GenerationRulesChangedError(this.projection, this.generation, this.builtWith, this.running, this.action, spell);
  }
}
