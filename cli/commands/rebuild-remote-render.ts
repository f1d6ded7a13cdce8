// The rebuild function's report as text: the local rebuild's renderers, once the JSON is known to have their shapes.

import { bareCommand } from '../../domain/command-spelling.ts';
import type { RebuildReport } from '../../projections/rebuild/coordinator.ts';
import type { RebuildPlan } from '../../projections/rebuild/plan.ts';
import type { PromoteReport } from '../../projections/rebuild/promote.ts';
import { renderPlan, renderPromote, renderRebuild, renderVerify } from '../../projections/rebuild/render.ts';
import type { VerifyReport } from '../../projections/rebuild/verify.ts';
import { followUp, type FollowUp } from '../follow-up.ts';

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array';
type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True when `v` is an object whose fields have these kinds (what the renderers read; the JSON carries no types). */
function hasFields(v: unknown, spec: Record<string, Kind>): v is Json {
  return isObject(v) && Object.entries(spec).every(([key, kind]) =>
    kind === 'array' ? Array.isArray(v[key]) : kind === 'object' ? isObject(v[key]) : typeof v[key] === kind);
}

const isPlan = (v: unknown): v is RebuildPlan => hasFields(v, {
  projection: 'string', from: 'number', baseMark: 'number', mark: 'number', events: 'object', tiers: 'array', restores: 'object', estimates: 'array', warnings: 'array',
}) && isObject(v['restores']) && isObject(v['restores']['GLACIER']) && isObject(v['restores']['DEEP_ARCHIVE']);
const isBuilt = (v: unknown): v is RebuildReport => hasFields(v, {
  projection: 'string', generation: 'number', checkpoint: 'object', rehydrated: 'object', phases: 'array', objectsRead: 'number', eventsPerSecond: 'number',
});
const isVerify = (v: unknown): v is VerifyReport => hasFields(v, { projection: 'string', generation: 'number', reference: 'string', mark: 'number', passed: 'boolean', differences: 'array' });
const isPromote = (v: unknown): v is PromoteReport => hasFields(v, { projection: 'string', generation: 'number', previous: 'number', toppedUp: 'number' });

/**
 * Where a kept generation goes next: no later rebuild drops it, so the operator who kept it does; the commands are
 * spelled by `command` (with the rebuild's global options, so that they act on the same lake).
 */
export function keptHint(projection: string, generation: number, promotable: boolean, command: FollowUp): string {
  const selects = [String(generation), '--projection', projection];
  const promote = promotable ? `, promote it with ${command('generations', 'promote', ...selects)}` : '';
  return `(no rebuild drops it: check it with ${command('verify', '--projection', projection, '--generation', String(generation))}${promote}, free it with ${command('generations', 'drop', ...selects)})`;
}

/**
 * `plan` with the command its warnings name (`eventlake snapshot list`, for a snapshot no longer restorable) spelled by
 * `command`. Why here: the plan is JSON, made where no global options are known (in the rebuild function too), so it
 * names the command bare, and pasted bare it would list the snapshots of another lake (the local one, not --target aws).
 */
export function spelledPlan(plan: RebuildPlan, command: FollowUp): RebuildPlan {
  const bare = bareCommand('snapshot', 'list');
  return { ...plan, warnings: plan.warnings.map((w) => w.replaceAll(bare, command('snapshot', 'list'))) };
}

/**
 * The lines for a report of the rebuild function (adapters/aws/lambda/create-rebuild.ts: `planned`, `restoring`,
 * `built`, `promoted`), or undefined when its shape is not one these renderers know (another eventlake version);
 * the commands they suggest are spelled by `command`.
 */
export function renderRemoteReport(report: Json, command: FollowUp = followUp()): string[] | undefined {
  const { status, plan, built, verification, promoted } = report;
  if (!isPlan(plan)) return undefined;
  // The function verifies against the log, always: the plan says so where it says what that restores.
  const planned = renderPlan(spelledPlan(plan, command), { remote: true });
  if (status === 'planned' || status === 'restoring') return planned;
  if (!isBuilt(built) || !isVerify(verification)) return undefined;
  const done = [...planned, ...renderRebuild(built), ...renderVerify(verification)];
  const kept = keptHint(plan.projection, built.generation, false, command);
  if (status === 'built') return [...done, verification.passed ? `not promoted: generation ${built.generation} is kept for inspection (--until: a historical view) ${kept}` : `generation ${built.generation} is kept for inspection ${kept}`];
  if (status === 'promoted' && isPromote(promoted)) return [...done, ...renderPromote(promoted)];
  return undefined;
}

/** True for a report whose verification failed (the function then kept the generation unpromoted). */
export function verificationFailed(report: Json): boolean {
  return isObject(report['verification']) && report['verification']['passed'] === false;
}
