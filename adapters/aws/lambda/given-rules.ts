// The rules fingerprints a stack's synth computed from the sources (infra/rules-fingerprints.ts), as a function reads
// them from its environment and puts them on its projections, so that what it records and compares is what the CLI
// running those sources computes, not its minified bundle's reading (projections/rebuild/rules-fingerprint.ts).

import { InvalidArgumentError } from '../../../domain/errors.ts';
import type { Projection } from '../../../domain/projection.ts';
import { withGivenRules } from '../../../projections/rebuild/rules-fingerprint.ts';
import { LAMBDA_ENV } from './config.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Fingerprints computed elsewhere, by projection name, and the code form they were computed in. */
export interface GivenRules {
  readonly form: string;
  readonly fingerprints: Readonly<Record<string, string>>;
}

/** The variables that hand `given` to a function (what the synth sets). */
export function givenRulesEnvironment(given: GivenRules): Record<string, string> {
  return { [LAMBDA_ENV.rulesFingerprints]: JSON.stringify(given.fingerprints), [LAMBDA_ENV.rulesForm]: given.form };
}

const refuse = (name: string, problem: string) =>
  new InvalidArgumentError(name, `${problem}: the synth sets it (infra/rules-fingerprints.ts); redeploy the stack, or unset it and its runs record their bundle's rules`);

/**
 * The fingerprints the environment gives; undefined when neither variable is set (a stack synthesized before them).
 * Throws `InvalidArgumentError` naming the variable when one is set without the other or is not what the synth writes:
 * recording a wrong fingerprint would let a generation built with other rules read as the same.
 */
export function givenRulesFrom(env: Env = process.env): GivenRules | undefined {
  const [text, form] = [env[LAMBDA_ENV.rulesFingerprints], env[LAMBDA_ENV.rulesForm]];
  if (!text && !form) return undefined;
  if (!form) throw refuse(LAMBDA_ENV.rulesForm, `is not set while ${LAMBDA_ENV.rulesFingerprints} is`);
  if (!text) throw refuse(LAMBDA_ENV.rulesFingerprints, `is not set while ${LAMBDA_ENV.rulesForm} is`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const valid = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((f) => typeof f === 'string');
  if (!valid) throw refuse(LAMBDA_ENV.rulesFingerprints, `must be a JSON object of fingerprints by projection name, got ${JSON.stringify(text.slice(0, 80))}`);
  return { form, fingerprints: value as Record<string, string> };
}

/**
 * `projections`, each reading as its given fingerprint. One given for another name or version (`<name> v<version> `
 * does not start it) is not used: that projection reads as its bundle's code does, which compares as `unknown`
 * with the CLI's, never as a false `same`.
 */
export function withGivenFingerprints(projections: readonly Projection[], given: GivenRules | undefined): readonly Projection[] {
  if (!given) return projections;
  return projections.map((p) => {
    const fingerprint = Object.hasOwn(given.fingerprints, p.name) ? given.fingerprints[p.name] : undefined;
    return fingerprint?.startsWith(`${p.name} v${p.version} `) ? withGivenRules(p, { fingerprint, form: given.form }) : p;
  });
}
