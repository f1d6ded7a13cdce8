// The rules fingerprints a stack's synth computed from the sources (infra/rules-fingerprints.ts), and each rule's digest
// by event type, as a function reads them from its environment and puts them on its projections, so that what it
// records and compares is what the CLI running those sources computes, not its minified bundle's reading
// (projections/rebuild/rules-fingerprint.ts).

import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { withGivenRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { LAMBDA_ENV } from './config.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Fingerprints computed elsewhere, by projection name, and the code form they were computed in. */
export interface GivenRules {
  readonly form: string;
  readonly fingerprints: Readonly<Record<string, string>>;
  /** Each projection's `ruleDigests`, read in that form; absent from stacks synthesized before them. */
  readonly digests?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The variables that hand `given` to a function (what the synth sets). */
export function givenRulesEnvironment(given: GivenRules): Record<string, string> {
  const digests: Record<string, string> = given.digests ? { [LAMBDA_ENV.ruleDigests]: JSON.stringify(given.digests) } : {};
  return { [LAMBDA_ENV.rulesFingerprints]: JSON.stringify(given.fingerprints), [LAMBDA_ENV.rulesForm]: given.form, ...digests };
}

const refuse = (name: string, problem: string, unset = 'its runs record their bundle\'s rules') =>
  new InvalidArgumentError(name, `${problem}: the synth sets it (infra/rules-fingerprints.ts); redeploy the stack, or unset it and ${unset}`);

/**
 * The fingerprints (and digests) the environment gives; undefined when none of the variables is set (a stack
 * synthesized before them); without digests when only theirs is unset (one synthesized before digests). Throws
 * `InvalidArgumentError` naming the variable when the fingerprints or their form are set without the other, digests
 * without both, or one is not what the synth writes: recording a wrong fingerprint would let a generation built with
 * other rules read as the same, and wrong digests would count folds wrongly.
 */
export function givenRulesFrom(env: Env = process.env): GivenRules | undefined {
  const [text, form, digests] = [env[LAMBDA_ENV.rulesFingerprints], env[LAMBDA_ENV.rulesForm], env[LAMBDA_ENV.ruleDigests]];
  if (!text && !form && !digests) return undefined;
  if (!form) throw refuse(LAMBDA_ENV.rulesForm, `is not set while ${text ? LAMBDA_ENV.rulesFingerprints : LAMBDA_ENV.ruleDigests} is`);
  if (!text) throw refuse(LAMBDA_ENV.rulesFingerprints, `is not set while ${LAMBDA_ENV.rulesForm} is`);
  const fingerprints = parsedJson(text);
  if (!isRecordOf(fingerprints, isString)) throw refuse(LAMBDA_ENV.rulesFingerprints, `must be a JSON object of fingerprints by projection name, got ${JSON.stringify(text.slice(0, 80))}`);
  if (!digests) return { form, fingerprints };
  const byProjection = parsedJson(digests);
  if (!isRecordOf(byProjection, (d): d is Record<string, string> => isRecordOf(d, isString))) {
    throw refuse(LAMBDA_ENV.ruleDigests, `must be a JSON object of { event type: digest } objects by projection name, got ${JSON.stringify(digests.slice(0, 80))}`,
      'the functions record and count as a stack synthesized before digests did (the rules\' types only; every event folded with other rules)');
  }
  return { form, fingerprints, digests: byProjection };
}

const isString = (v: unknown): v is string => typeof v === 'string';

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether `value` is a plain JSON object whose every value `valid` accepts. */
function isRecordOf<T>(value: unknown, valid: (v: unknown) => v is T): value is Record<string, T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every(valid);
}

/**
 * `projections`, each reading as its given fingerprint, and its given digests (`ruleDigests`) when there are some. One
 * given for another name or version (`<name> v<version> ` does not start it) is not used: that projection reads as its
 * bundle's code does, which compares as `unknown` with the CLI's, never as a false `same`.
 */
export function withGivenFingerprints(projections: readonly Projection[], given: GivenRules | undefined): readonly Projection[] {
  if (!given) return projections;
  const own = <T>(byName: Readonly<Record<string, T>> | undefined, name: string) => (byName && Object.hasOwn(byName, name) ? byName[name] : undefined);
  return projections.map((p) => {
    const fingerprint = own(given.fingerprints, p.name);
    return fingerprint?.startsWith(`${p.name} v${p.version} `) ? withGivenRules(p, { fingerprint, form: given.form }, own(given.digests, p.name)) : p;
  });
}
