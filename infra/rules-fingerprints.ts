// The rules fingerprints a stack hands its rebuild function: computed at synth from the sources it bundles, with the
// user's schema folders and extensions module loaded as `eventlake --schemas … --extensions …` loads them, so the
// generations the deployed function records read as 'same' or 'other' to a CLI running the same sources, instead of
// 'unknown' (a minified bundle reads its rules otherwise: projections/rebuild/rules-fingerprint.ts).
//
// The honest limits: a fingerprint covers the rule functions' text only (not the helpers and constants they use), and
// the stack's fingerprint is what this synth read: a stack deployed from another checkout records that checkout's
// rules. Run as a script, this module is the child that computes them: the CLI runs under tsx, whose reading of the
// sources (the form) is the one to match, and the extensions module loads asynchronously while a construct does not.

import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PROJECTIONS } from '../adapters/aws/lambda/projections.ts';
import { LAMBDA_ENV } from '../adapters/aws/lambda/config.ts';
import type { GivenRules } from '../adapters/aws/lambda/given-rules.ts';
import { applyToRegistry, loadExtensions } from '../cli/load-extensions.ts';
import { InvalidArgumentError } from '../domain/errors.ts';
import { withBalanceRules } from '../projections/extensions.ts';
import { ruleDigests, rulesFingerprint } from '../projections/rebuild/rules-fingerprint.ts';
import { SchemaRegistry } from '../schemas/registry.ts';
import { answerAndExit, runSynthChild, SYNTH_CHILD_TIMEOUT_MS } from './synth-child.ts';
import type { UserCode } from './user-code.ts';

/**
 * The fingerprint of each projection the stack's functions fold (the built-ins, with the module's balance rules and
 * upcasters when there is one), their form, and each one's rule digests by event type, as the CLI computes them from
 * this checkout (the digests a generation records, and projectors compare, are the CLI's reading too). Throws
 * `InvalidArgumentError` when the child cannot compute them (checkUserCode has refused a module that does not load).
 *
 * @example
 * const given = synthRulesFingerprints({ schemaFolders: ['schemas'], extensions: 'eventlake.extensions.ts' });
 */
export function synthRulesFingerprints(code: UserCode | undefined, timeoutMs: number = SYNTH_CHILD_TIMEOUT_MS): GivenRules {
  const args = [code?.extensions ? resolve(code.extensions) : '', ...(code?.schemaFolders ?? []).map((f) => resolve(f))];
  // One child per distinct user code in a process: an app synthesizing several stacks pays about a second once.
  const known = computed.get(JSON.stringify(args));
  if (known) return known;
  const from = `compute the rules fingerprints of the stack's projections from ${code?.extensions ?? 'the built-ins'}`;
  const child = runSynthChild(fileURLToPath(import.meta.url), args, from, timeoutMs);
  const given = child.status === 0 ? parsed(child.stdout) : undefined;
  if (given) {
    computed.set(JSON.stringify(args), given);
    return given;
  }
  throw new InvalidArgumentError('extensions', `the synth could not ${from}: ${(child.stderr || child.error?.message || child.stdout).trim()}; fix the module so that eventlake --extensions loads it`);
}

const computed = new Map<string, GivenRules>();

/**
 * What the rule digests may take of the 4 KB Lambda allows a function's environment in all (the other variables take
 * about 1.2 KB): some 40 bytes per rule type and projection, so the built-ins and about 15 more rule types.
 */
export const RULE_DIGESTS_BUDGET = 2048;

/**
 * `given` as a function's environment can hold it: without its digests when they take more than `budget` bytes, so a
 * stack with many rule types still deploys (Lambda refuses a larger environment) and its functions record and count
 * as a stack synthesized before digests; `omitted` then says so, for the synth to warn.
 *
 * @example
 * const { given, omitted } = withinDigestsBudget(synthRulesFingerprints(code));
 */
export function withinDigestsBudget(given: GivenRules, budget: number = RULE_DIGESTS_BUDGET): { given: GivenRules; omitted?: string } {
  const size = given.digests ? Buffer.byteLength(JSON.stringify(given.digests)) : 0;
  if (size <= budget) return { given };
  return {
    given: { form: given.form, fingerprints: given.fingerprints },
    omitted: `eventlake: the rule digests (${LAMBDA_ENV.ruleDigests}) would take ${size} bytes, over the ${budget} a function's environment keeps ` +
      'for them (Lambda allows 4 KB in all), so they are left out: generations record their rules\' types only, and a projector counts every ' +
      'event it folds into a generation built with other rules, not only those of the types whose rules changed',
  };
}

function parsed(stdout: string): GivenRules | undefined {
  try {
    const value = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Partial<GivenRules>;
    const objects = [value.fingerprints, value.digests].every((v) => typeof v === 'object' && v !== null);
    return typeof value.form === 'string' && objects ? value as GivenRules : undefined;
  } catch {
    return undefined;
  }
}

/** The child: the projections' fingerprints and rule digests, with the module at argv[2] ('' for none) and the folders after it. */
async function main(file: string, folders: readonly string[]): Promise<void> {
  const registry = SchemaRegistry.load({ folders });
  const loaded = file ? await loadExtensions({ file, argument: 'extensions', where: 'EventLakeProps.extensions (or -c eventlake:extensions)' }) : undefined;
  if (loaded) applyToRegistry(registry, loaded);
  // As the CLI's AWS runtime: the built-ins, balances and statement folding with the module's rules (extendRuntime).
  const projections = loaded ? withBalanceRules(PROJECTIONS, loaded.balanceRules) : PROJECTIONS;
  const upcasters = registry.upcasterSteps();
  const running = projections.map((p) => rulesFingerprint(p, upcasters));
  // None for a projection that does not list its rules (ruleDigests): its generations record no digests either.
  const digests = projections.flatMap((p): [string, Record<string, string>][] => {
    const byType = ruleDigests(p, upcasters);
    return byType ? [[p.name, byType]] : [];
  });
  const given: GivenRules = {
    form: running[0]!.form, fingerprints: Object.fromEntries(projections.map((p, i) => [p.name, running[i]!.fingerprint])),
    digests: Object.fromEntries(digests),
  };
  answerAndExit(JSON.stringify(given), 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv[2]!, process.argv.slice(3));
